using System.ComponentModel;
using Spectre.Console.Cli;

namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>Options every command takes.</summary>
public class CommonSettings : CommandSettings
{
    /// <summary>Show the stack trace of an error.</summary>
    [CommandOption("-v|--verbose")]
    [Description("On an error, show the full exception with its stack trace instead of one line.")]
    public bool Verbose { get; init; }

    /// <summary>No progress bars and no summary tables.</summary>
    [CommandOption("-q|--quiet")]
    [Description("No progress bars, and no summary where the results go to files (mine, evaluate with --json). Progress is off anyway when the output is redirected.")]
    public bool Quiet { get; init; }
}
