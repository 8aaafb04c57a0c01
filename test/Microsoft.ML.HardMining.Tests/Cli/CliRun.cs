using Microsoft.ML.HardMining.Cli;
using Microsoft.ML.HardMining.Cli.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary>The outcome of one in-process <c>hardmine</c> run.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs <c>hardmine</c> in-process with a recording console (no colours, no progress).</summary>
    public static CliRun Start(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = HardmineApp.Run(args, CliContext.ForWriters(output, error));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Fails with both streams when the exit code differs.</summary>
    public CliRun ExpectExit(int expected)
    {
        Assert.AreEqual(expected, ExitCode, $"exit code; stdout:\n{Output}\nstderr:\n{Error}");
        return this;
    }

    /// <summary>The error is a single line (no stack trace) that contains every fragment.</summary>
    public CliRun ExpectOneLineError(params string[] fragments)
    {
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, $"one error line, got:\n{Error}");
        StringAssert.StartsWith(lines[0], "hardmine: error: ");
        foreach (var f in fragments) Assert.Contains(f, lines[0], $"error line: {lines[0]}");
        return this;
    }
}
