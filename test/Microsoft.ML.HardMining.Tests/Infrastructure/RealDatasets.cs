using Microsoft.ML.HardMining.Cli.Datasets;

namespace Microsoft.ML.HardMining.Tests.Infrastructure;

/// <summary>Small, seeded samples of the real data sets (through the CLI's loaders) for the evaluation and trainer tests.</summary>
internal static class RealDatasets
{
    private static readonly Lazy<IReadOnlyList<MnistDigit>> MnistAll = new(() => MnistDigits.Load(TestAssets.MnistDigits));

    /// <summary>
    /// A one-vs-rest MNIST sample: <paramref name="perDigit"/> digits of each class after skipping <paramref name="skipPerDigit"/>
    /// (so two calls with the same seed give disjoint train and test parts), label = digit == <paramref name="positiveDigit"/>.
    /// </summary>
    public static List<MnistBinaryRow> MnistOneVsRest(int positiveDigit, int perDigit, int seed, int skipPerDigit = 0)
    {
        var rng = new Random(seed);
        var rows = MnistDigits.OneVsRest(PickPerDigit(rng, perDigit, skipPerDigit), positiveDigit);
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        return rows;
    }

    /// <summary>The same sample as multiclass rows (Digit as the label, to be mapped to a key).</summary>
    public static List<MnistDigit> MnistDigitsSample(int perDigit, int seed, int skipPerDigit = 0)
    {
        var rng = new Random(seed);
        var picked = PickPerDigit(rng, perDigit, skipPerDigit);
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(picked));
        return picked;
    }

    /// <summary>Every digit of the fetched MNIST set, ordered by digit then by its order in the file.</summary>
    public static IReadOnlyList<MnistDigit> AllMnistDigits => MnistAll.Value;

    // Per digit, in digit order: shuffle its images with the generator, skip some, take some.
    private static List<MnistDigit> PickPerDigit(Random rng, int perDigit, int skipPerDigit)
    {
        var picked = new List<MnistDigit>();
        foreach (var group in MnistAll.Value.GroupBy(d => d.Digit))
        {
            var items = group.ToArray();
            rng.Shuffle(items);
            picked.AddRange(items.Skip(skipPerDigit).Take(perDigit));
        }
        return picked;
    }
}
