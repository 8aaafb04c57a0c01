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
        CliRun.Start("mine", csv, "--score-column", "Score", "--max-loss", "-1").ExpectExit(1).ExpectOneLineError("--max-loss must be positive");
        CollectionAssert.AreEqual(new[] { csv }, Directory.GetFileSystemEntries(dir), "nothing written beside the input");
    }
}
