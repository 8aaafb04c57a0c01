using System.IO.Compression;
using Microsoft.ML.HardMining.Cli.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary>Bad input: exit code 1, one clear line, nothing partial left behind.</summary>
[TestClass]
public sealed class BadInputTests
{
    private static string SmallCsv(string dir, string text, string name = "small.csv")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [TestMethod]
    public void MissingInputFile()
    {
        CliRun.Start("mine", "/no/such/file.csv", "--score-column", "Score").ExpectExit(1).ExpectOneLineError("'/no/such/file.csv'", "does not exist");
    }

    [TestMethod]
    public void VerboseShowsTheStackTrace()
    {
        var run = CliRun.Start("mine", "/no/such/file.csv", "--score-column", "Score", "--verbose").ExpectExit(1);
        Assert.Contains("does not exist", run.Error);
        Assert.Contains("   at ", run.Error, "stack trace with --verbose");
    }

    [TestMethod]
    public void RowWithWrongFieldCountIsReportedWithItsLine()
    {
        var dir = CliTestData.NewFolder();
        var csv = SmallCsv(dir, "Label,Score,Text\ntrue,1.5,\"two\nlines\"\nfalse,-1\nfalse,-2,ok\n");
        CliRun.Start("mine", csv, "--score-column", "Score").ExpectExit(1).ExpectOneLineError("1 unreadable row", "line 4 has 2 field(s), the header has 3");
    }

    [TestMethod]
    public void UnreadableNumberIsReportedWithItsLine()
    {
        var dir = CliTestData.NewFolder();
        var csv = SmallCsv(dir, "Label,Score\ntrue,1.5\nfalse,abc\nfalse,-2\ntrue,x\n");
        CliRun.Start("mine", csv, "--score-column", "Score").ExpectExit(1).ExpectOneLineError("Column 'Score'", "2 row(s)", "line 3: 'abc'", "line 5: 'x'");
    }

    [TestMethod]
    public void ScoresThatAreNotFiniteAreReportedWithTheirLines()
    {
        var dir = CliTestData.NewFolder();
        // NaN and Infinity parsed as numbers, and 1e40 as +Infinity: mine failed with the library's "Row 0" (no file line)
        // and evaluate accepted 1e40 without a word.
        var csv = SmallCsv(dir, "Label,Score\ntrue,NaN\nfalse,-1\nfalse,Infinity\ntrue,1\nfalse,1e40\nfalse,-Infinity\ntrue,2\n");
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", Path.Combine(dir, "o.csv")).ExpectExit(1)
            .ExpectOneLineError("Column 'Score'", "finite number", "4 row(s)", "line 2: 'NaN'", "line 4: 'Infinity'", "line 6: '1e40'", "line 7: '-Infinity'");
        var big = SmallCsv(dir, "Label,Score\ntrue,1e40\nfalse,-1\nfalse,0.5\ntrue,1\n", "big.csv");
        CliRun.Start("evaluate", big, "--score-column", "Score").ExpectExit(1).ExpectOneLineError("Column 'Score'", "finite number", "line 2: '1e40'");
        CliRun.Start("evaluate", big, "--probability-column", "Score").ExpectExit(1).ExpectOneLineError("Column 'Score'", "line 2: '1e40'");
        var probabilities = SmallCsv(dir, "Label,P\ntrue,0.9\nfalse,NaN\nfalse,0.2\ntrue,0.7\n", "p.csv");
        CliRun.Start("evaluate", probabilities, "--probability-column", "P").ExpectExit(1).ExpectOneLineError("Column 'P'", "line 3: 'NaN'");
    }

    [TestMethod]
    public void ManyBadValuesShowFiveAndCountTheRest()
    {
        var dir = CliTestData.NewFolder();
        var csv = SmallCsv(dir, "Label,Score\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"{(i % 2 == 0 ? "true" : "false")},x{i}\n")));
        var run = CliRun.Start("mine", csv, "--score-column", "Score").ExpectExit(1).ExpectOneLineError("8 row(s)", "line 2: 'x0'", "line 6: 'x4'", "; and 3 more.");
        Assert.DoesNotContain("line 7", run.Error);
        Assert.DoesNotContain("....", run.Error, "the ellipsis and the full stop ran together");
        var rows = SmallCsv(dir, "a,b\n" + string.Concat(Enumerable.Range(0, 7).Select(i => "1\n")), "rows.csv");
        CliRun.Start("evaluate", rows, "--score-column", "b").ExpectExit(1).ExpectOneLineError("7 unreadable row(s)", "; and 2 more. Fix or remove them");
    }

    [TestMethod]
    public void UnclosedQuoteIsReported()
    {
        var dir = CliTestData.NewFolder();
        var csv = SmallCsv(dir, "Label,Score\ntrue,1.5\nfalse,\"-1\n");
        CliRun.Start("evaluate", csv, "--score-column", "Score").ExpectExit(1).ExpectOneLineError("line 3", "never closed");
    }

    [TestMethod]
    public void UnknownColumnsListTheOnesThatExist()
    {
        var spam = CliTestData.Spam;
        CliRun.Start("mine", spam.TrainCsv, "--label", "label", "--model", spam.ModelZip).ExpectExit(1)
            .ExpectOneLineError("--label 'label'", "did you mean 'Label'", "Columns: Id, Label, Group, Text");
        CliRun.Start("evaluate", spam.TestCsv, "--score-column", "Score").ExpectExit(1)
            .ExpectOneLineError("--score-column 'Score'", "Columns: Id, Label, Group, Text");
    }

    [TestMethod]
    public void ModelMissingItsInputColumnSaysWhatItNeeds()
    {
        var dir = CliTestData.NewFolder();
        var csv = SmallCsv(dir, "Label,Body\ntrue,buy now\nfalse,hello\n");
        CliRun.Start("mine", csv, "--model", CliTestData.Spam.ModelZip).ExpectExit(1)
            .ExpectOneLineError("cannot score", "Text (String)", "the file lacks Text", "the file has: Label, Body");
    }

    [TestMethod]
    public void ModelFilesOfTheWrongKind()
    {
        var spam = CliTestData.Spam;
        var digits = CliTestData.Digits;
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.TrainCsv).ExpectExit(1).ExpectOneLineError("is not an ML.NET model");
        CliRun.Start("mine", digits.Csv, "--model", digits.ModelOnnx).ExpectExit(1).ExpectOneLineError("is not an ML.NET model", "use --onnx");
        CliRun.Start("mine", digits.Csv, "--onnx", digits.ModelZip).ExpectExit(1).ExpectOneLineError("zip archive, not an ONNX model", "use --model");

        var dir = CliTestData.NewFolder();
        var fakeZip = Path.Combine(dir, "fake.zip");
        using (var zip = ZipFile.Open(fakeZip, ZipArchiveMode.Create))
            using (var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open())) writer.Write("not a model");
        CliRun.Start("mine", spam.TrainCsv, "--model", fakeZip).ExpectExit(1).ExpectOneLineError("fake.zip", "not an ML.NET model that can be loaded");

        var fakeOnnx = Path.Combine(dir, "fake.onnx");
        File.WriteAllText(fakeOnnx, "this is text, not a protobuf");
        CliRun.Start("mine", digits.Csv, "--onnx", fakeOnnx).ExpectExit(1).ExpectOneLineError("--onnx", "fake.onnx");
    }

    [TestMethod]
    public void OutputThatCannotBeWrittenLeavesNothingBehind()
    {
        var spam = CliTestData.Spam;
        var dir = CliTestData.NewFolder();
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "-o", Path.Combine(dir, "missing-folder", "out.csv")).ExpectExit(1)
            .ExpectOneLineError("--output", "does not exist");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "-o", dir).ExpectExit(1).ExpectOneLineError("is a folder");
        // The report cannot be written: the (writable) mined rows must not appear either.
        var output = Path.Combine(dir, "out.csv");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "-o", output, "--report", Path.Combine(dir, "nope", "r.json")).ExpectExit(1)
            .ExpectOneLineError("--report");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "-o", spam.TrainCsv).ExpectExit(1).ExpectOneLineError("is the input file");
        Assert.IsEmpty(Directory.GetFileSystemEntries(dir), "no output, report or temporary file left behind");
    }

    [TestMethod]
    public void PlotsThatCannotBeWrittenLeaveNoMinedRowsOrReportBehind()
    {
        var dir = CliTestData.NewFolder();
        var csv = SmallCsv(dir, "Label,Score\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{(i % 4 == 0 ? "true" : "false")},{i % 7 - 3}\n")));
        var notAFolder = SmallCsv(dir, "x", "plots");
        var output = Path.Combine(dir, "out.csv");
        // Caught before mining: the plots folder is a file.
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--plots", notAFolder).ExpectExit(1).ExpectOneLineError("--plots", "is a file");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--json", Path.Combine(dir, "m.json"), "--plots", notAFolder).ExpectExit(1)
            .ExpectOneLineError("--plots", "is a file");
        // Caught when the files are written (its parent is a file): the rows and the report, ready by then, are not moved into place.
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--plots", Path.Combine(notAFolder, "sub")).ExpectExit(1).ExpectOneLineError("--plots");
        CollectionAssert.AreEquivalent(new[] { csv, notAFolder }, Directory.GetFileSystemEntries(dir), "no mined rows, report, plot or temporary file");

        var plots = Path.Combine(dir, "new-plots");
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--plots", plots).ExpectExit(0);
        Assert.IsTrue(File.Exists(output));
        CollectionAssert.AreEquivalent(new[] { "loss-histogram-negative.png", "loss-histogram-positive.png" }, Directory.GetFiles(plots).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void AtomicWriteIsAllOrNothing()
    {
        var dir = CliTestData.NewFolder();
        var first = Path.Combine(dir, "first.csv");
        var second = Path.Combine(dir, "second.json");
        File.WriteAllText(first, "old");
        Assert.ThrowsExactly<CliException>(() => AtomicFile.WriteAll(
        [
            (first, "--output", s => s.Write("new"u8)),
            (second, "--report", _ => throw new IOException("disk full")),
        ]));
        Assert.AreEqual("old", File.ReadAllText(first), "the first file is untouched when the second fails");
        CollectionAssert.AreEqual(new[] { first }, Directory.GetFiles(dir), "no temporary files left");
    }

    [TestMethod]
    public void BadOptionsAreExitCodeOne()
    {
        var spam = CliTestData.Spam;
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "--random-share", "1.5").ExpectExit(1).ExpectOneLineError("--random-share");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "--negatives", "lots").ExpectExit(1).ExpectOneLineError("--negatives 'lots'");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "--no-such-option").ExpectExit(1).ExpectOneLineError("no-such-option");
        CliRun.Start("mine", spam.TrainCsv).ExpectExit(1).ExpectOneLineError("Say where the scores come from");
        CliRun.Start("mine", spam.TrainCsv, "--model", spam.ModelZip, "--score-column", "Id").ExpectExit(1).ExpectOneLineError("one score source");
        CliRun.Start("evaluate", spam.TestCsv, "--model", spam.ModelZip, "--recall", "1.5").ExpectExit(1).ExpectOneLineError("--recall");
    }

    [TestMethod]
    public void SingleClassFileIsBadInput()
    {
        var dir = CliTestData.NewFolder();
        var csv = SmallCsv(dir, "Label,Score\nfalse,1\nfalse,2\n");
        CliRun.Start("evaluate", csv, "--score-column", "Score").ExpectExit(1).ExpectOneLineError("both classes");
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", Path.Combine(dir, "o.csv")).ExpectExit(1).ExpectOneLineError("hardmine: error:");
    }

    [TestMethod]
    public void HelpShowsExamplesAndExitCodes()
    {
        var run = CliRun.Start("mine", "--help").ExpectExit(0);
        Assert.Contains("EXAMPLES", run.Output);
        Assert.Contains("--model", run.Output);
        Assert.Contains("Exit codes: 0 ok, 1 bad input", run.Output);
        foreach (var command in new[] { "evaluate", "demo" }) Assert.Contains("EXAMPLES", CliRun.Start(command, "--help").ExpectExit(0).Output);
        var top = CliRun.Start("--help").ExpectExit(0);
        foreach (var command in new[] { "mine", "evaluate", "demo" }) Assert.Contains(command, top.Output);
    }
}
