namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary>Option values the command line cannot use: exit code 1 and one line naming the option, before any file is read or written.</summary>
[TestClass]
public sealed class OptionValueTests
{
    [TestMethod]
    public void OptionWithoutAValueIsNamedAndNothingIsWritten()
    {
        var dir = CliTestData.NewFolder();
        var csv = CliTestData.ScoredCsv(dir);
        var strayFile = Path.Combine(Environment.CurrentDirectory, "__default_command");
        // Spectre.Console.Cli filled a missing value with its internal default-command name: -o last wrote a file of that name.
        CliRun.Start("mine", csv, "--score-column", "Score", "-q", "-o").ExpectExit(1).ExpectOneLineError("option -o/--output needs a value", "-o FILE");
        CliRun.Start("mine", csv, "--score-column", "Score", "-qo").ExpectExit(1).ExpectOneLineError("option -o/--output needs a value");
        CliRun.Start("mine", csv, "--score-column", "Score", "--report").ExpectExit(1).ExpectOneLineError("option --report needs a value");
        CliRun.Start("mine", csv, "--score-column", "Score", "--negatives", "-q").ExpectExit(1).ExpectOneLineError("option --negatives needs a value");
        CliRun.Start("mine", csv, "--score-column", "Score", "--ratio").ExpectExit(1).ExpectOneLineError("option --ratio needs a value");
        CliRun.Start("mine", csv, "--score-column", "Score", "--max-loss=").ExpectExit(1).ExpectOneLineError("option --max-loss needs a value");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--json").ExpectExit(1).ExpectOneLineError("option --json needs a value");
        Assert.IsFalse(File.Exists(strayFile), "no file named after Spectre's default command");
        CollectionAssert.AreEqual(new[] { csv }, Directory.GetFileSystemEntries(dir), "nothing written beside the input");
    }

    [TestMethod]
    public void ValueThatCannotBeConvertedNamesTheOptionAndTheValue()
    {
        var dir = CliTestData.NewFolder();
        var csv = CliTestData.ScoredCsv(dir);
        // These were exit code 2 ("unexpected") with a second line asking for --verbose.
        CliRun.Start("mine", csv, "--score-column", "Score", "--ratio", "abc").ExpectExit(1).ExpectOneLineError("--ratio 'abc' is not a number");
        CliRun.Start("mine", csv, "--score-column", "Score", "--ratio=abc").ExpectExit(1).ExpectOneLineError("--ratio 'abc' is not a number");
        CliRun.Start("mine", csv, "--score-column", "Score", "--seed", "99999999999").ExpectExit(1)
            .ExpectOneLineError("--seed '99999999999' is not a whole number from -2147483648 to 2147483647");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--batch-size", "abc").ExpectExit(1).ExpectOneLineError("--batch-size 'abc' is not a whole number");
        CliRun.Start("demo", "--budget", "x").ExpectExit(1).ExpectOneLineError("--budget 'x' is not a number");
        // A negative number is a value, not an option: the range check answers it.
        CliRun.Start("mine", csv, "--score-column", "Score", "--max-loss", "-1").ExpectExit(1).ExpectOneLineError("--max-loss must be a positive number, not -1");
        CollectionAssert.AreEqual(new[] { csv }, Directory.GetFileSystemEntries(dir), "nothing written beside the input");
    }

    [TestMethod]
    public void NotANumberAndInfinityAreOutOfEveryRange()
    {
        var dir = CliTestData.NewFolder();
        var csv = CliTestData.ScoredCsv(dir);
        // NaN fails every comparison, so "is < 0 or > 1" let it through: to the library (naming its options object) or, for
        // --recall, to an exit code 2.
        foreach (var (option, value) in new[] { ("--random-share", "NaN"), ("--noise-guard", "NaN"), ("--ratio", "NaN"), ("--ratio", "Infinity"), ("--max-loss", "NaN"), ("--max-loss", "Infinity") })
        {
            var run = CliRun.Start("mine", csv, "--score-column", "Score", "-o", Path.Combine(dir, "o.csv"), option, value).ExpectExit(1).ExpectOneLineError(option, value);
            Assert.DoesNotContain("HardExampleMiningOptions", run.Error);
        }
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--recall", "NaN").ExpectExit(1).ExpectOneLineError("--recall", "'NaN' is not a recall");
        CliRun.Start("evaluate", csv, "--score-column", "Score", "--recall", "0.9,Infinity").ExpectExit(1).ExpectOneLineError("--recall", "'Infinity' is not a recall");
        CollectionAssert.AreEqual(new[] { csv }, Directory.GetFileSystemEntries(dir), "nothing written beside the input");
    }

    [TestMethod]
    public void ErrorsAboutBudgetsAndClassesSpeakOfOptionsAndColumns()
    {
        var dir = CliTestData.NewFolder();
        var csv = CliTestData.ScoredCsv(dir);
        var output = Path.Combine(dir, "o.csv");
        var run = CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--negatives", "none", "--positives", "none").ExpectExit(1)
            .ExpectOneLineError("--negatives none and --positives none would select no row");
        Assert.DoesNotContain("HardExampleMiningOptions", run.Error);
        CliRun.Start("mine", csv, "--score-column", "Score", "-o", output, "--negatives", "0", "--positives", "0%").ExpectExit(1).ExpectOneLineError("would select no row");

        var negativesOnly = Path.Combine(dir, "negatives.csv");
        File.WriteAllText(negativesOnly, "Label,Score\nfalse,1\nfalse,2\n");
        run = CliRun.Start("mine", negativesOnly, "--score-column", "Score", "-o", output).ExpectExit(1)
            .ExpectOneLineError("--label 'Label'", "every row of", "is negative (2 rows)", "both classes");
        Assert.DoesNotContain("AllowSingleClass", run.Error);
        run = CliRun.Start("evaluate", negativesOnly, "--score-column", "Score").ExpectExit(1).ExpectOneLineError("both classes");
        Assert.DoesNotContain("(Parameter '", run.Error, "no parameter name from the library's code");
        Assert.IsFalse(File.Exists(output));
    }
}
