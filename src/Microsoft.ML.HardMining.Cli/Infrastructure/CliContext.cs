using Spectre.Console;

namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>Where a command writes: the console for results and progress, a writer for error lines.</summary>
/// <param name="Console">Results, tables and progress.</param>
/// <param name="Error">One-line errors (standard error for the real tool).</param>
/// <param name="CanShowProgress">Whether progress bars may be drawn: false when the output is redirected or not a terminal.</param>
public sealed record CliContext(IAnsiConsole Console, TextWriter Error, bool CanShowProgress)
{
    /// <summary>The process's console and standard error; progress only on an interactive terminal whose output is not redirected.</summary>
    public static CliContext ForProcess() =>
        new(AnsiConsole.Console, System.Console.Error,
            !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected && AnsiConsole.Console.Profile.Capabilities.Interactive);

    /// <summary>A context that records everything as plain text (no colours, no progress): for tests and scripts.</summary>
    /// <param name="output">Receives the results.</param>
    /// <param name="error">Receives the error lines.</param>
    /// <param name="width">The console width in characters (tables wrap to it).</param>
    public static CliContext ForWriters(TextWriter output, TextWriter error, int width = 200)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        return new(console, error, false);
    }
}
