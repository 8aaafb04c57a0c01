namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>The exit codes of <c>hardmine</c>, which scripts can rely on.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Bad input: a missing or unreadable file, a malformed CSV row, an unknown column, a model of the wrong kind,
    /// an output that cannot be written, or an invalid option. The one-line message says which and what to do.</summary>
    public const int BadInput = 1;

    /// <summary>An unexpected failure (a bug, or the machine ran out of memory or disk); <c>--verbose</c> shows the stack trace.</summary>
    public const int Unexpected = 2;
}
