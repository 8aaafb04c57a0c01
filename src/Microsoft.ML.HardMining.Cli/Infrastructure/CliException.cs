namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>Bad input found by a command: reported as one line and exit code <see cref="ExitCodes.BadInput"/>.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line that names the file, column or option and says what to do.</param>
    /// <param name="inner">The underlying error, shown with <c>--verbose</c>.</param>
    public CliException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
