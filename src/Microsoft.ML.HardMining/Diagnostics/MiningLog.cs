using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining.Diagnostics;

/// <summary>
/// Writes the library's log lines into an <see cref="MLContext"/>'s <see cref="MLContext.Log"/> stream,
/// the only place ML.NET users look for them. The library never writes to the console.
/// </summary>
public static class MiningLog
{
    /// <summary>Logs an informational line from <paramref name="source"/> into <paramref name="mlContext"/>'s log.</summary>
    /// <param name="mlContext">The context whose <see cref="MLContext.Log"/> event receives the line.</param>
    /// <param name="source">The component that speaks, e.g. <c>HardExampleMining</c>.</param>
    /// <param name="message">The line.</param>
    public static void Info(MLContext mlContext, string source, string message)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        Info((IHostEnvironment)mlContext, source, message);
    }

    /// <summary>Logs a warning line from <paramref name="source"/> into <paramref name="mlContext"/>'s log.</summary>
    /// <param name="mlContext">The context whose <see cref="MLContext.Log"/> event receives the line.</param>
    /// <param name="source">The component that speaks.</param>
    /// <param name="message">The line.</param>
    public static void Warning(MLContext mlContext, string source, string message)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        Warning((IHostEnvironment)mlContext, source, message);
    }

    // A channel straight from the environment, not from a registered host: Register without a seed draws one from the
    // context's random stream, and every trainer fitted after the line would then draw other numbers for the same seed.
    internal static void Info(IHostEnvironment environment, string source, string message)
    {
        using var channel = environment.Start(source);
        channel.Info(MessageSensitivity.None, message);
    }

    internal static void Warning(IHostEnvironment environment, string source, string message)
    {
        using var channel = environment.Start(source);
        channel.Warning(MessageSensitivity.None, message);
    }
}
