using Microsoft.ML.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.HardMining.Cli.Csv;

namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary><c>hardmine mine</c> on real data: the rows it writes, checked against losses computed independently of the CLI.</summary>
[TestClass]
public sealed class MineCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MineWithModelKeepsPositivesAndTheHardestHamVerbatim()
    {
        var spam = CliTestData.Spam;
        var dir = CliTestData.NewFolder();
        var output = Path.Combine(dir, "hard.csv");
        var report = Path.Combine(dir, "hard.json");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "--negatives", "15%", "--seed", "3", "-o", output, "--report", report).ExpectExit(0);

        // Independent reference: the model applied through ML.NET directly, log-loss from its calibrated probability.
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(spam.ModelZip, out _);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(spam.Train.Select(m => new MailInput { Label = m.Label, Text = m.Text })));
        var probability = scored.GetColumn<float>("Probability").ToArray();
        var loss = spam.Train.Select((m, i) => m.Label ? -Math.Log(Math.Max(probability[i], 1e-15)) : -Math.Log(Math.Max(1 - probability[i], 1e-15))).ToArray();

        var mined = CsvTable.Read(output, ',');
        CollectionAssert.AreEqual(new[] { "Id", "Label", "Group", "Text", "mining_kind", "mining_loss" }, mined.Columns.ToArray());
        var byId = spam.Train.ToDictionary(m => m.Id);
        var rows = mined.Records.Select(r => (Mail: byId[int.Parse(r.Fields[0], CultureInfo.InvariantCulture)], Kind: r.Fields[4], Loss: double.Parse(r.Fields[5], CultureInfo.InvariantCulture), Record: r)).ToList();

        var negatives = spam.Train.Count(m => !m.Label);
        var budget = (int)Math.Round(0.15 * negatives, MidpointRounding.AwayFromZero);
        Assert.AreEqual(spam.Train.Count(m => m.Label), rows.Count(r => r.Mail.Label), "every spam is kept (positives: all)");
        Assert.AreEqual(budget, rows.Count(r => !r.Mail.Label), "15% of the ham");
        CollectionAssert.AreEqual(rows.Select(r => r.Mail.Id).Order().ToArray(), rows.Select(r => r.Mail.Id).ToArray(), "rows stay in file order");
        foreach (var r in rows)
        {
            Assert.AreEqual(loss[r.Mail.Id], r.Loss, 1e-5, $"loss of row {r.Mail.Id}");
            Assert.AreEqual(r.Mail.Text, r.Record.Fields[3], $"text of row {r.Mail.Id} is copied verbatim (quotes, commas and line breaks)");
        }

        // The hard ham are exactly the highest-loss ham (ties aside); 75% of the budget is hard, 25% random.
        var hardHam = rows.Where(r => !r.Mail.Label && r.Kind == "hard").Select(r => r.Mail.Id).ToHashSet();
        var expectedHard = spam.Train.Where(m => !m.Label).OrderByDescending(m => loss[m.Id]).ThenBy(m => m.Id).Take(hardHam.Count).Select(m => m.Id).ToHashSet();
        Assert.AreEqual(budget - (int)Math.Round(0.25 * budget, MidpointRounding.AwayFromZero), hardHam.Count, "hard share of the budget");
        Assert.IsGreaterThanOrEqualTo(hardHam.Count - 1, hardHam.Intersect(expectedHard).Count(), "the hard ham are the top-loss ham");

        // Real-data claim: the corpus's hard-ham folder is far above its base rate among the mined hard ham.
        var baseRate = spam.Train.Where(m => !m.Label).Count(m => m.Group.StartsWith("hard-ham", StringComparison.Ordinal)) / (double)negatives;
        var minedRate = rows.Where(r => hardHam.Contains(r.Mail.Id)).Count(r => r.Mail.Group.StartsWith("hard-ham", StringComparison.Ordinal)) / (double)hardHam.Count;
        TestContext.WriteLine($"hard ham: {minedRate:P1} of mined hard ham vs {baseRate:P1} of all ham");
        Assert.IsGreaterThan(3 * baseRate, minedRate);

        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.AreEqual(spam.Train.Count, root.GetProperty("rowsScanned").GetInt64());
        Assert.AreEqual(rows.Count, root.GetProperty("selected").GetInt64());
        var neg = root.GetProperty("classes")[0];
        Assert.AreEqual("negative", neg.GetProperty("class").GetString());
        Assert.AreEqual(negatives, neg.GetProperty("rows").GetInt64());
        Assert.AreEqual(budget, neg.GetProperty("budget").GetInt64());
        Assert.AreEqual(hardHam.Count, neg.GetProperty("selectedHard").GetInt64());
        var histogram = neg.GetProperty("histogram");
        var sampled = histogram.GetProperty("histogramRows").EnumerateArray().Sum(e => e.GetInt64());
        Assert.IsTrue(sampled > 0 && sampled <= negatives, $"the report's histogram holds the ham or a sample of it ({sampled})");
        Assert.AreEqual(negatives, histogram.GetProperty("estimatedRows").EnumerateArray().Sum(e => e.GetDouble()), 1e-6, "the estimate is scaled to the class");
        Assert.AreEqual(budget, histogram.GetProperty("selectedRows").EnumerateArray().Sum(e => e.GetInt64()), "selected histogram counts the mined ham");
        var hamLosses = loss.Where((_, i) => !spam.Train[i].Label).ToArray();
        Assert.IsTrue(neg.GetProperty("loss").GetProperty("max").GetDouble() <= hamLosses.Max() + 1e-5, "report max within the real losses");
        Assert.IsTrue(neg.GetProperty("loss").GetProperty("min").GetDouble() >= hamLosses.Min() - 1e-5, "report min within the real losses");
    }

    [TestMethod]
    public void ReportHistogramsHoldEveryRowWithACountBudget()
    {
        // The report's loss section on real data, against losses computed without the CLI: a file of this size is sampled
        // whole, and its median is the real median (the section's quantiles were only checked against the range before).
        var spam = CliTestData.Spam;
        var dir = CliTestData.NewFolder();
        var report = Path.Combine(dir, "hard.json");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "--negatives", "300", "--positives", "50", "-o", Path.Combine(dir, "hard.csv"), "--report", report, "--quiet").ExpectExit(0);

        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(spam.ModelZip, out _);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(spam.Train.Select(m => new MailInput { Label = m.Label, Text = m.Text })));
        var probability = scored.GetColumn<float>("Probability").ToArray();
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        foreach (var (index, isSpam) in new[] { (0, false), (1, true) })
        {
            var losses = spam.Train.Select((m, i) => (m, i)).Where(x => x.m.Label == isSpam)
                .Select(x => isSpam ? -Math.Log(Math.Max(probability[x.i], 1e-15)) : -Math.Log(Math.Max(1 - probability[x.i], 1e-15))).Order().ToArray();
            var section = json.RootElement.GetProperty("classes")[index];
            var sampled = section.GetProperty("histogram").GetProperty("histogramRows").EnumerateArray().Sum(e => e.GetInt64());
            Assert.AreEqual(losses.Length, sampled, $"class {index}: every row is in the histogram");
            var median = losses[(losses.Length - 1) / 2];
            // The histogram's bins are 0.4% wide in 1 + loss; the quantile is a bin's lower edge.
            Assert.AreEqual(median, section.GetProperty("loss").GetProperty("p50").GetDouble(), 0.01 * (1 + median), $"class {index}: the median loss");
        }
    }

    [TestMethod]
    public void SameSeedSameRowsAndNoAnnotationsCopiesRowsExactly()
    {
        var spam = CliTestData.Spam;
        var dir = CliTestData.NewFolder();
        string Mine(string name, int seed, params string[] extra)
        {
            var path = Path.Combine(dir, name);
            CliRun.Start(["mine", spam.TrainCsv, "--model", spam.ModelZip, "--negatives", "300", "--random-share", "0.5", "--seed", seed.ToString(CultureInfo.InvariantCulture), "-o", path, "--quiet", .. extra]).ExpectExit(0);
            return File.ReadAllText(path);
        }
        var a = Mine("a.csv", 11);
        var b = Mine("b.csv", 11);
        var c = Mine("c.csv", 12);
        Assert.AreEqual(a, b, "same seed, same file");
        Assert.AreNotEqual(a, c, "another seed draws another random share");

        var plain = CsvTable.Read(Path.Combine(dir, "a.csv"), ',');
        var bare = Mine("bare.csv", 11, "--no-annotations");
        var source = CsvTable.Read(spam.TrainCsv, ',');
        var sourceRaw = source.Records.ToDictionary(r => r.Fields[0], r => r.Raw);
        var expected = source.HeaderRaw + "\n" + string.Concat(plain.Records.Select(r => sourceRaw[r.Fields[0]] + "\n"));
        Assert.AreEqual(expected, bare, "without annotations the mined file is the header and the chosen records, byte for byte");
    }

    [TestMethod]
    public void RecordsAreCopiedAsTheirBytesWithTheirOwnLineBreaks()
    {
        // The input was decoded (invalid UTF-8 became U+FFFD), its byte order mark dropped and every line break written as \n.
        var dir = CliTestData.NewFolder();
        byte[][] rows =
        [
            "true,2,caf\u00e9"u8.ToArray(), [.. "false,-1,"u8, 0xFF, 0xFE, .. " latin-1 bytes"u8], "false,0.5,\"two\r\nlines\""u8.ToArray(), "true,1,x"u8.ToArray(),
            "false,-2,y"u8.ToArray(), [.. "false,1.5,"u8, 0xE9, (byte)'t', 0xE9], "true,-0.5,z"u8.ToArray(), "false,-3,last"u8.ToArray(),
        ];
        byte[][] breaks = ["\r\n"u8.ToArray(), "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\r\n"u8.ToArray(), "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\n"u8.ToArray(), []];
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var header = "Label,Score,Text"u8.ToArray();
        byte[] Subset(IEnumerable<int> chosen, string headerExtra = "") =>
            [.. bom, .. header, .. Encoding.UTF8.GetBytes(headerExtra), .. "\r\n"u8, .. chosen.SelectMany(i => rows[i].Concat(breaks[i]))];
        var input = Path.Combine(dir, "raw.csv");
        File.WriteAllBytes(input, Subset(Enumerable.Range(0, rows.Length)));

        var all = Path.Combine(dir, "all.csv");
        CliRun.Start("mine", input, "--score-column", "Score", "--negatives", "all", "--random-share", "0", "--no-annotations", "-o", all).ExpectExit(0);
        CollectionAssert.AreEqual(File.ReadAllBytes(input), File.ReadAllBytes(all), "every row selected: the output is the input, byte for byte");

        // Every positive and the two highest-scored negatives (1.5 and 0.5), in file order.
        int[] chosen = [0, 2, 3, 5, 6];
        var bare = Path.Combine(dir, "bare.csv");
        CliRun.Start("mine", input, "--score-column", "Score", "--negatives", "2", "--random-share", "0", "--no-annotations", "-o", bare).ExpectExit(0);
        CollectionAssert.AreEqual(Subset(chosen), File.ReadAllBytes(bare), "a byte-for-byte subset: byte order mark, invalid UTF-8 and each record's line break kept");

        var annotated = Path.Combine(dir, "annotated.csv");
        CliRun.Start("mine", input, "--score-column", "Score", "--negatives", "2", "--random-share", "0", "-o", annotated).ExpectExit(0);
        // Latin-1 maps each byte to one char and back, so the annotations can be cut out of the bytes with a regex.
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(annotated));
        var annotations = new Regex(",hard,[0-9.Ee+-]+(?=\r\n|\n|$)");
        Assert.HasCount(chosen.Length, annotations.Matches(text), "one annotation per record, before its line break");
        CollectionAssert.AreEqual(Subset(chosen, ",mining_kind,mining_loss"), Encoding.Latin1.GetBytes(annotations.Replace(text, "")),
            "annotated records are the input's bytes plus the two columns, ended by their own line break");
    }

    [TestMethod]
    public void OnnxModelMinesTheSameRowsAsTheMlNetModel()
    {
        var digits = CliTestData.Digits;
        var dir = CliTestData.NewFolder();
        var fromZip = Path.Combine(dir, "zip.csv");
        var fromOnnx = Path.Combine(dir, "onnx.csv");
        var plots = Path.Combine(dir, "plots");
        CliRun.Start("mine", digits.Csv, "--model", digits.ModelZip, "--negatives", "10%", "--random-share", "0", "-o", fromZip).ExpectExit(0);
        var run = CliRun.Start("mine", digits.Csv, "--onnx", digits.ModelOnnx, "--negatives", "10%", "--random-share", "0", "--batch-size", "37", "-o", fromOnnx, "--plots", plots).ExpectExit(0);

        int[] Ids(string path) => CsvTable.Read(path, ',').Records.Select(r => int.Parse(r.Fields[0], CultureInfo.InvariantCulture)).ToArray();
        var zipIds = Ids(fromZip);
        var onnxIds = Ids(fromOnnx);
        Assert.HasCount(zipIds.Length, onnxIds);
        Assert.IsGreaterThanOrEqualTo(zipIds.Length - 1, zipIds.Intersect(onnxIds).Count(), "ONNX Runtime scores match ML.NET's to ~1e-6: the same rows (a tie at the boundary aside)");

        // Real-data claim: the mined non-9s are mostly 4s and 7s.
        var byId = digits.Rows.ToDictionary(r => r.Id);
        var minedNegatives = onnxIds.Select(i => byId[i]).Where(r => !r.Label).ToList();
        var share = minedNegatives.Count(r => r.Digit is 4 or 7) / (double)minedNegatives.Count;
        TestContext.WriteLine($"4s and 7s: {share:P1} of the mined negatives (base rate 22%)");
        Assert.IsGreaterThan(0.4, share);

        foreach (var name in new[] { "loss-histogram-negative.png", "loss-histogram-positive.png" })
        {
            var png = Path.Combine(plots, name);
            Assert.IsTrue(File.Exists(png), $"{name} written");
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4], "a PNG");
            Assert.Contains(png, run.Output);
        }
    }

    [TestMethod]
    public void ScoreColumnOfATsvFileIsMinedWithoutAModel()
    {
        // A TSV that already holds scores: the hardest negatives are those with the highest raw score.
        var dir = CliTestData.NewFolder();
        var digits = CliTestData.Digits;
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(digits.ModelZip, out _);
        var scores = model.Transform(ml.Data.LoadFromEnumerable(digits.Rows.Select(r => new Microsoft.ML.HardMining.Cli.Datasets.MnistBinaryRow { Label = r.Label, Digit = r.Digit, Features = r.Features })))
            .GetColumn<float>("Score").ToArray();
        var tsv = Path.Combine(dir, "scored.tsv");
        File.WriteAllLines(tsv, new[] { "Id\tDigit\tIsNine\tMargin" }.Concat(digits.Rows.Select((r, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{r.Id}\t{r.Digit}\t{(r.Label ? "yes" : "no")}\t{scores[i]:R}"))));
        var output = Path.Combine(dir, "hard.tsv");
        CliRun.Start("mine", tsv, "--label", "IsNine", "--score-column", "Margin", "--negatives", "25", "--positives", "none", "--random-share", "0", "-o", output).ExpectExit(0);

        var mined = CsvTable.Read(output, '\t');
        var expected = digits.Rows.Select((r, i) => (r, s: scores[i])).Where(x => !x.r.Label).OrderByDescending(x => x.s).ThenBy(x => x.r.Id).Take(25).Select(x => x.r.Id).Order().ToArray();
        CollectionAssert.AreEqual(expected, mined.Records.Select(r => int.Parse(r.Fields[0], CultureInfo.InvariantCulture)).ToArray());
        Assert.IsTrue(mined.Records.All(r => r.Fields[4] == "hard"));
    }

    [TestMethod]
    public void GroupQuotaCapsRowsPerGroupAndIsReported()
    {
        var spam = CliTestData.Spam;
        var dir = CliTestData.NewFolder();
        var output = Path.Combine(dir, "grouped.csv");
        var report = Path.Combine(dir, "grouped.json");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "--negatives", "30%", "--group", "Group", "--max-per-group", "60", "--quiet", "-o", output, "--report", report).ExpectExit(0);

        var records = CsvTable.Read(output, ',').Records;
        var perGroup = records.GroupBy(r => r.Fields[2]).ToDictionary(g => g.Key, g => g.Count());
        // The quota bounds each group's hard rows (docs/selection.md); the random share is drawn from the rest of the class.
        var hardPerGroup = records.Where(r => r.Fields[4] == "hard").GroupBy(r => r.Fields[2]).ToDictionary(g => g.Key, g => g.Count());
        Assert.IsTrue(hardPerGroup.Values.All(c => c <= 60), string.Join(", ", hardPerGroup.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.AreEqual(spam.Train.Select(m => m.Group).Distinct().Count(), perGroup.Count, "every folder contributes");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var reported = json.RootElement.GetProperty("selectedPerGroup").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        // The report counts every selected row of each group, hard and random: exactly the rows written.
        foreach (var (group, count) in perGroup)
            Assert.AreEqual(count, reported[group], $"report count of {group}");
        Assert.IsGreaterThan(0, json.RootElement.GetProperty("dropped").GetProperty("groupQuota").GetInt64(), "the quota dropped rows");
    }
}
