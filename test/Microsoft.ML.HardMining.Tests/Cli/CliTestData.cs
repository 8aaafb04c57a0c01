using System.Globalization;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Cli.Datasets;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary>A mail as the CLI tests write it: the raw SpamAssassin text (with commas, quotes and line breaks).</summary>
public sealed class CsvMail
{
    /// <summary>Row id.</summary>
    public int Id { get; set; }

    /// <summary>True for spam.</summary>
    public bool Label { get; set; }

    /// <summary>The corpus folder.</summary>
    public string Group { get; set; } = "";

    /// <summary>The mail.</summary>
    public string Text { get; set; } = "";
}

/// <summary>The model's view of a mail: what it was trained on.</summary>
public sealed class MailInput
{
    /// <summary>True for spam.</summary>
    public bool Label { get; set; }

    /// <summary>The mail.</summary>
    public string Text { get; set; } = "";
}

/// <summary>A one-vs-rest MNIST digit with an id.</summary>
public sealed class CsvDigit
{
    /// <summary>Row id.</summary>
    public int Id { get; set; }

    /// <summary>True for a 9.</summary>
    public bool Label { get; set; }

    /// <summary>The digit.</summary>
    public int Digit { get; set; }

    /// <summary>Pixels.</summary>
    [VectorType(MnistDigits.PixelCount)]
    public float[] Features { get; set; } = [];
}

/// <summary>The features alone: the input schema of the ONNX export.</summary>
public sealed class DigitFeatures
{
    /// <summary>Pixels.</summary>
    [VectorType(MnistDigits.PixelCount)]
    public float[] Features { get; set; } = [];
}

/// <summary>Real data written as CSV files, and models trained on them, shared by the CLI tests (built once).</summary>
internal static class CliTestData
{
    private static readonly Lazy<SpamFiles> SpamLazy = new(BuildSpam);
    private static readonly Lazy<DigitFiles> DigitsLazy = new(BuildDigits);

    public static SpamFiles Spam => SpamLazy.Value;

    public static DigitFiles Digits => DigitsLazy.Value;

    public static string NewFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hardmine-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A small scored file, <c>Label,Score</c> with 8 rows of both classes, for checks of options and paths.</summary>
    public static string ScoredCsv(string dir, string name = "a.csv")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "Label,Score\ntrue,2\nfalse,-1\nfalse,0.5\ntrue,1\nfalse,-2\nfalse,1.5\ntrue,-0.5\nfalse,-3\n");
        return path;
    }

    internal sealed record SpamFiles(string Folder, string TrainCsv, string TestCsv, string ModelZip, List<CsvMail> Train, List<CsvMail> Test);

    internal sealed record DigitFiles(string Folder, string Csv, string ModelZip, string ModelOnnx, List<CsvDigit> Rows);

    /// <summary>SpamAssassin: 2,000 training and 1,000 test mails (stratified by folder), an SDCA logistic model on word n-grams.</summary>
    private static SpamFiles BuildSpam()
    {
        var folder = NewFolder();
        var (train, test) = SpamAssassinMails.Split(SpamAssassinMails.Load(TestAssets.SpamData), 0.3, seed: 1);
        var trainRows = train.Take(2000).Select((m, i) => new CsvMail { Id = i, Label = m.Label, Group = m.Group, Text = m.Text }).ToList();
        var testRows = test.OrderBy(m => m.Group, StringComparer.Ordinal).Where((_, i) => i % 2 == 0).Select((m, i) => new CsvMail { Id = 100_000 + i, Label = m.Label, Group = m.Group, Text = m.Text }).ToList();
        var trainCsv = Path.Combine(folder, "mails-train.csv");
        var testCsv = Path.Combine(folder, "mails-test.csv");
        WriteCsv(trainCsv, ["Id", "Label", "Group", "Text"], trainRows.Select(m => new[] { m.Id.ToString(CultureInfo.InvariantCulture), m.Label ? "true" : "false", m.Group, m.Text }));
        WriteCsv(testCsv, ["Id", "Label", "Group", "Text"], testRows.Select(m => new[] { m.Id.ToString(CultureInfo.InvariantCulture), m.Label ? "1" : "0", m.Group, m.Text }));

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(trainRows.Select(m => new MailInput { Label = m.Label, Text = m.Text }));
        var textOptions = new Microsoft.ML.Transforms.Text.TextFeaturizingEstimator.Options { CharFeatureExtractor = null };
        var model = ml.Transforms.Text.FeaturizeText("Features", textOptions, nameof(MailInput.Text))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 10))
            .Fit(data);
        var zip = Path.Combine(folder, "spam-model.zip");
        ml.Model.Save(model, data.Schema, zip);
        return new SpamFiles(folder, trainCsv, testCsv, zip, trainRows, testRows);
    }

    /// <summary>MNIST "9 vs rest", 150 digits of each class, columns Id, Label, Digit, Features.0..783; an SDCA model saved as .zip and exported to ONNX.</summary>
    private static DigitFiles BuildDigits()
    {
        var folder = NewFolder();
        var rows = RealDatasets.MnistOneVsRest(positiveDigit: 9, perDigit: 150, seed: 5)
            .Select((r, i) => new CsvDigit { Id = i, Label = r.Label, Digit = r.Digit, Features = r.Features }).ToList();
        var csv = Path.Combine(folder, "digits.csv");
        var header = new[] { "Id", "Label", "Digit" }.Concat(Enumerable.Range(0, MnistDigits.PixelCount).Select(i => $"Features.{i}")).ToArray();
        WriteCsv(csv, header, rows.Select(r => new[] { r.Id.ToString(CultureInfo.InvariantCulture), r.Label ? "true" : "false", r.Digit.ToString(CultureInfo.InvariantCulture) }
            .Concat(r.Features.Select(f => f.ToString("R", CultureInfo.InvariantCulture))).ToArray()));

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new MnistBinaryRow { Label = r.Label, Digit = r.Digit, Features = r.Features }));
        var model = ml.BinaryClassification.Trainers.SdcaLogisticRegression(new Microsoft.ML.Trainers.SdcaLogisticRegressionBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            MaximumNumberOfIterations = 20,
        }).Fit(data);
        var zip = Path.Combine(folder, "digits-model.zip");
        ml.Model.Save(model, data.Schema, zip);
        var onnx = Path.Combine(folder, "digits-model.onnx");
        // Export with the features as the only input: the ONNX graph then has one float input, as hardmine --onnx expects.
        var featuresOnly = ml.Data.LoadFromEnumerable(rows.Take(10).Select(r => new DigitFeatures { Features = r.Features }));
        using (var stream = File.Create(onnx)) ml.Model.ConvertToOnnx(model, featuresOnly, stream);
        return new DigitFiles(folder, csv, zip, onnx, rows);
    }

    public static void WriteCsv(string path, string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', header.Select(Quote))).Append('\n');
        foreach (var row in rows) sb.Append(string.Join(',', row.Select(Quote))).Append('\n');
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 || field.StartsWith(' ') ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
