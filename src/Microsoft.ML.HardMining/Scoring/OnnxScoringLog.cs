using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>
/// Writes one informational line to <see cref="MLContext.Log"/> through the public <see cref="IHostEnvironment"/> channel API.
/// </summary>
/// <remarks>Private stand-in for the core's <c>Diagnostics.MiningLog</c> (not on main when this was written); the channel also emits its own Trace lines.</remarks>
internal static class OnnxScoringLog
{
    internal const string Source = "OnnxBatchScorer";

    internal static void Info(IHostEnvironment? env, string message)
    {
        if (env is null)
            return;
        var host = env.Register(Source);
        using var channel = host.Start(Source);
        channel.Info(MessageSensitivity.None, message);
    }
}
