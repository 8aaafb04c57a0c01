namespace Microsoft.ML.HardMining.Cli.Scoring;

/// <summary>Where the scores of a CSV file come from: exactly one of a score column, an ML.NET model or an ONNX model.</summary>
public sealed record ScoreSourceOptions
{
    /// <summary>The label column of the file.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>An existing raw-score column (a logit or margin: higher means more positive).</summary>
    public string? ScoreColumn { get; init; }

    /// <summary>An existing probability column (with <see cref="ScoreColumn"/>, or alone).</summary>
    public string? ProbabilityColumn { get; init; }

    /// <summary>An ML.NET model (.zip saved by <c>mlContext.Model.Save</c>).</summary>
    public string? ModelPath { get; init; }

    /// <summary>An ONNX model with one float input and a score output.</summary>
    public string? OnnxPath { get; init; }

    /// <summary>The file columns that feed the ONNX model: a name, a prefix of <c>name.0, name.1, ...</c>, or a comma-separated list.</summary>
    public string Features { get; init; } = "Features";

    /// <summary>Rows per ONNX Runtime call.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>An extra text column to carry along (e.g. the group column of per-group quotas).</summary>
    public string? GroupColumn { get; init; }
}
