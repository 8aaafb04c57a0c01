namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary>Where the outputs go: never over an input, never two on one path, checked before any work.</summary>
[TestClass]
public sealed class OutputPathTests
{
    [TestMethod]
    public void NoOutputIsWrittenOverAnInput()
    {
        var dir = CliTestData.NewFolder();
        var csv = CliTestData.ScoredCsv(dir);
        var original = File.ReadAllBytes(csv);
        var output = Path.Combine(dir, "out.csv");
        // Each of these exited 0 and replaced the input with a report or a curve.
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--report", csv).ExpectExit(1).ExpectOneLineError($"--report '{csv}' is the input file");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--json", csv).ExpectExit(1).ExpectOneLineError($"--json '{csv}' is the input file");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--curve", Path.Combine(dir, ".", "a.csv")).ExpectExit(1).ExpectOneLineError("--curve", "is the input file");
        CollectionAssert.AreEqual(original, File.ReadAllBytes(csv), "the input is untouched");

        // The default report (OUTPUT's name with .report.json) can be the input too.
        var named = Path.Combine(dir, "x.report.json");
        File.Copy(csv, named);
        CliRun.Start("mine", named, "--score-column", "Score", "--separator", "comma", "-o", Path.Combine(dir, "x.csv")).ExpectExit(1)
            .ExpectOneLineError("--report (by default)", "is the input file");
        CollectionAssert.AreEqual(original, File.ReadAllBytes(named), "the input is untouched");

        // A model is read too.
        var model = Path.Combine(dir, "m.zip");
        File.WriteAllText(model, "not read: the paths are checked first");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--model", model, "--json", model).ExpectExit(1).ExpectOneLineError($"is the --model file '{model}'");
        CollectionAssert.AreEquivalent(new[] { csv, named, model }, Directory.GetFileSystemEntries(dir), "nothing written");
    }

    [TestMethod]
    public void OutputsThatShareAPathAreRefusedNamingBoth()
    {
        var dir = CliTestData.NewFolder();
        var csv = CliTestData.ScoredCsv(dir);
        var plots = Path.Combine(dir, "p");
        Directory.CreateDirectory(plots);
        var json = Path.Combine(dir, "m.json");
        // These exited 0 with one output silently replaced by the other.
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--json", json, "--curve", json).ExpectExit(1).ExpectOneLineError("--json", "--curve", "are the same file");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--json", Path.Combine(plots, "pr-curve.png"), "--plots", plots).ExpectExit(1)
            .ExpectOneLineError("--json", "--plots", "pr-curve.png", "are the same file");
        foreach (var plot in new[] { "loss-histogram-negative.png", "loss-histogram-positive.png" })
            CliRun.Start("mine", csv, "--score-column", "Score", "-o", Path.Combine(plots, plot), "--plots", plots).ExpectExit(1)
                .ExpectOneLineError("--output", "--plots", plot, "are the same file");
        var output = Path.Combine(dir, "out.csv");
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--report", output).ExpectExit(1).ExpectOneLineError("--output", "--report", "are the same file");

        // A plots folder on the path of an output file: this failed after mining and left an empty folder 'out.csv' behind.
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--plots", output).ExpectExit(1).ExpectOneLineError($"--plots '{output}' is the same path as --output");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--json", json, "--plots", json).ExpectExit(1).ExpectOneLineError("--plots", "same path as --json");
        CollectionAssert.AreEquivalent(new[] { csv, plots }, Directory.GetFileSystemEntries(dir), "no output, report or folder created");
        Assert.IsEmpty(Directory.GetFileSystemEntries(plots));
    }

    [TestMethod]
    public void SummaryShowsTheRowsAndTheReportPathsTheSameWay()
    {
        var dir = CliTestData.NewFolder();
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, dir);
        var csv = Path.Combine(relative, Path.GetFileName(CliTestData.ScoredCsv(dir)));
        // The mined rows were shown as given and the report as an absolute path (or both absolute by default).
        var run = CliRun.Start("mine", csv, "--score-column", "Score", "-o", Path.Combine(relative, "o.csv")).ExpectExit(0);
        Assert.Contains($"Mined rows: {Path.Combine(relative, "o.csv")}", Lines(run));
        Assert.Contains($"Report:     {Path.Combine(relative, "o.report.json")}", Lines(run));
        run = CliRun.Start("mine", csv, "--score-column", "Score").ExpectExit(0);
        Assert.Contains($"Mined rows: {Path.Combine(relative, "a.mined.csv")}", Lines(run));
        Assert.Contains($"Report:     {Path.Combine(relative, "a.mined.report.json")}", Lines(run));
        Assert.IsTrue(File.Exists(Path.Combine(dir, "a.mined.report.json")));
    }

    [TestMethod]
    public void TargetsAmongDevicesAreRefused()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("/dev, /proc and /sys are Linux and macOS paths");
        var dir = CliTestData.NewFolder();
        var csv = CliTestData.ScoredCsv(dir);
        var output = Path.Combine(dir, "out.csv");
        // The atomic write renames a temporary file over the target: as root, "-o /dev/null" replaced the device with a
        // regular file. A path under /dev/shm (an ordinary folder) comes first, so that the code without the check fails
        // this test there rather than on /dev/null.
        var shm = $"/dev/shm/hardmine-test-{Guid.NewGuid():N}.csv";
        try
        {
            CliRun.Start("mine", csv, "--score-column", "Score", "-o", shm).ExpectExit(1).ExpectOneLineError($"--output '{shm}' is under /dev/", "give a regular file path");
            Assert.IsFalse(File.Exists(shm));
        }
        finally
        {
            File.Delete(shm);
            File.Delete(Path.ChangeExtension(shm, ".report.json"));
        }
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", "/dev/null").ExpectExit(1)
            .ExpectOneLineError("--output '/dev/null' is a device: hardmine writes a file beside the target and renames it into place");
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--report", "/dev/null").ExpectExit(1).ExpectOneLineError("--report '/dev/null' is a device");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--json", "/dev/stdout").ExpectExit(1).ExpectOneLineError("--json '/dev/stdout' is a device");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--curve", "/proc/self/status").ExpectExit(1).ExpectOneLineError("--curve '/proc/self/status'", "under /proc/");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--plots", "/dev/shm").ExpectExit(1).ExpectOneLineError("--plots '/dev/shm' is under /dev/");
        CollectionAssert.AreEqual(new[] { csv }, Directory.GetFileSystemEntries(dir), "nothing written");
    }

    private static string[] Lines(CliRun run) => run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
}
