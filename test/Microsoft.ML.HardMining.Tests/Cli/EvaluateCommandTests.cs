using Microsoft.ML.Data;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.HardMining.Cli.Csv;

namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary><c>hardmine evaluate</c> on real data, checked against brute-force metrics and ML.NET's evaluator.</summary>
[TestClass]
public sealed class EvaluateCommandTests
{
    [TestMethod]
    public void EvaluateModelMatchesBruteForceAndMlNet()
    {
        var spam = CliTestData.Spam;
        var dir = CliTestData.NewFolder();
        var json = Path.Combine(dir, "metrics.json");
        var curve = Path.Combine(dir, "pr.csv");
        var plots = Path.Combine(dir, "plots");
        var run = CliRun.Start("evaluate", spam.TestCsv, "--model", spam.ModelZip, "--recall", "0.9,0.95", "--json", json, "--curve", curve, "--plots", plots).ExpectExit(0);
        Assert.Contains("FPR @ recall 0.95", run.Output);

        var ml = new MLContext(seed: 1);
        var scored = ml.Model.Load(spam.ModelZip, out _).Transform(ml.Data.LoadFromEnumerable(spam.Test.Select(m => new MailInput { Label = m.Label, Text = m.Text })));
        var scores = scored.GetColumn<float>("Score").ToArray();
        var labels = spam.Test.Select(m => m.Label).ToArray();
        var mlnet = ml.BinaryClassification.Evaluate(scored);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var source = doc.RootElement.GetProperty("sources")[0];
        Assert.AreEqual("spam-model.zip", source.GetProperty("name").GetString());
        Assert.AreEqual(labels.Count(l => l), source.GetProperty("positives").GetInt64());
        Assert.AreEqual(mlnet.AreaUnderRocCurve, source.GetProperty("areaUnderRocCurve").GetDouble(), 1e-3, "AUROC agrees with ML.NET's evaluator");
        foreach (var point in source.GetProperty("atRecall").EnumerateArray())
        {
            var recall = point.GetProperty("recall").GetDouble();
            var (fpr, precision) = BruteForce(labels, scores, recall);
            Assert.AreEqual(fpr, point.GetProperty("falsePositiveRate").GetDouble(), 1e-12, $"FPR at recall {recall}");
            Assert.AreEqual(precision, point.GetProperty("precision").GetDouble(), 1e-12, $"precision at recall {recall}");
        }

        // Average precision by brute force over the distinct thresholds.
        var ap = 0.0;
        var positives = labels.Count(l => l);
        var prevTp = 0;
        foreach (var t in scores.Distinct().OrderDescending())
        {
            var tp = labels.Where((l, i) => l && scores[i] >= t).Count();
            var fp = labels.Where((l, i) => !l && scores[i] >= t).Count();
            ap += (tp - prevTp) / (double)positives * tp / (tp + fp);
            prevTp = tp;
        }
        Assert.AreEqual(ap, source.GetProperty("areaUnderPrecisionRecallCurve").GetDouble(), 1e-9);

        var curveTable = CsvTable.Read(curve, ',');
        Assert.AreEqual(scores.Distinct().Count(), curveTable.Records.Count, "one PR point per distinct score");
        Assert.AreEqual(1.0, double.Parse(curveTable.Records[^1].Fields[2], CultureInfo.InvariantCulture), "the curve ends at recall 1");
        Assert.IsTrue(File.Exists(Path.Combine(plots, "pr-curve.png")));
    }

    [TestMethod]
    public void EvaluateComparesSeveralScoreColumns()
    {
        var dir = CliTestData.NewFolder();
        var csv = Path.Combine(dir, "two.csv");
        // A perfect score and an inverted one on real labels.
        var labels = CliTestData.Digits.Rows.Select(r => r.Label).ToArray();
        File.WriteAllLines(csv, new[] { "Label,Good,Bad" }.Concat(labels.Select((l, i) => string.Create(CultureInfo.InvariantCulture, $"{(l ? 1 : 0)},{(l ? 2 + i % 3 : -i % 5)},{(l ? -1 : 1)}"))));
        var json = Path.Combine(dir, "m.json");
        CliRun.Start("evaluate", csv, "--score-column", "Good", "--score-column", "Bad", "--json", json, "--quiet").ExpectExit(0);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var sources = doc.RootElement.GetProperty("sources");
        Assert.AreEqual(1.0, sources[0].GetProperty("areaUnderRocCurve").GetDouble());
        Assert.AreEqual(0.0, sources[0].GetProperty("atRecall")[0].GetProperty("falsePositiveRate").GetDouble());
        Assert.AreEqual(0.0, sources[1].GetProperty("areaUnderRocCurve").GetDouble());
        Assert.AreEqual(1.0, sources[1].GetProperty("atRecall")[0].GetProperty("falsePositiveRate").GetDouble());
    }

    private static (double Fpr, double Precision) BruteForce(bool[] labels, float[] scores, double recall)
    {
        var positives = labels.Count(l => l);
        var negatives = labels.Length - positives;
        foreach (var t in scores.Distinct().OrderDescending())
        {
            var tp = labels.Where((l, i) => l && scores[i] >= t).Count();
            if (tp < Math.Ceiling(recall * positives - 1e-9)) continue;
            var fp = labels.Where((l, i) => !l && scores[i] >= t).Count();
            return (fp / (double)negatives, tp / (double)(tp + fp));
        }
        throw new InvalidOperationException("unreachable");
    }
}
