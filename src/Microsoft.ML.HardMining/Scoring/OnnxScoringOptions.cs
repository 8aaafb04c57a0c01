using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Options of <see cref="OnnxBatchScorer"/>: which model, which columns feed it, how outputs become score columns, where it runs.</summary>
/// <remarks>
/// Every property has a documented default; only <see cref="ModelPath"/> and <see cref="InputColumnNames"/> must be set.
/// The options are read once, when the scorer is fitted; later changes have no effect on a fitted scorer.
/// </remarks>
public sealed class OnnxScoringOptions
{
    /// <summary>Path of the <c>.onnx</c> model file. Required.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// Columns that feed the model, one per model input. Each must be a <see cref="float"/> scalar or a known-size vector of
    /// <see cref="float"/> (for example the output of <c>ExtractPixels</c>) holding exactly the values of one row of the input tensor.
    /// Required.
    /// </summary>
    public string[] InputColumnNames { get; set; } = [];

    /// <summary>
    /// Model inputs fed by <see cref="InputColumnNames"/>, in the same order. Default <see langword="null"/>: the model's single
    /// input when it has one and one column is given, otherwise the inputs named like the columns.
    /// Every model input must be fed.
    /// </summary>
    public string[]? ModelInputNames { get; set; }

    /// <summary>
    /// Full shapes (batch axis included, as in ML.NET's <c>ApplyOnnxModel</c>) for model inputs whose metadata leaves
    /// non-batch dimensions dynamic. The batch axis given here is ignored. Default <see langword="null"/>: a single dynamic
    /// non-batch dimension is inferred from the column's vector size; more than one is an error.
    /// </summary>
    public IDictionary<string, int[]>? ShapeDictionary { get; set; }

    /// <summary>
    /// Layout of the image values in the input columns, for rank-4 model inputs. Default <see langword="null"/>: the values
    /// are copied in the column's order, which must already be the model's. Set it when the column layout differs from
    /// <see cref="ModelImageLayout"/> (e.g. <c>ExtractPixels(interleavePixelColors: true)</c> into an NCHW model); the
    /// scorer then transposes each row.
    /// </summary>
    public OnnxImageLayout? ColumnImageLayout { get; set; }

    /// <summary>Layout of rank-4 model inputs: <see cref="OnnxImageLayout.Chw"/> (NCHW, default) or <see cref="OnnxImageLayout.Hwc"/> (NHWC). Used only with <see cref="ColumnImageLayout"/>.</summary>
    public OnnxImageLayout ModelImageLayout { get; set; } = OnnxImageLayout.Chw;

    /// <summary>
    /// Rows per <c>InferenceSession.Run</c> call. Default 64. Used when the model's batch axis is dynamic; a model with a fixed
    /// batch size B is always run with B rows (the last batch padded with zeros), so a fixed batch of 1 runs row by row.
    /// </summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>
    /// Model output holding the scores. Default <see langword="null"/>: the single float tensor output, or for models with several
    /// outputs (such as ML.NET's ONNX exports) the one whose name starts with <c>Score</c>.
    /// </summary>
    public string? ScoreOutputName { get; set; }

    /// <summary>
    /// Optional model output holding calibrated probabilities of a binary model, copied into <see cref="ProbabilityColumnName"/> as they are.
    /// Default <see langword="null"/>: when <see cref="ScoreOutputName"/> is also left to default, an output whose name starts
    /// with <c>Probability</c> is used if there is one (ML.NET exports); otherwise the probability is derived from the score output.
    /// </summary>
    public string? ProbabilityOutputName { get; set; }

    /// <summary>How the score output is read: logits (sigmoid / softmax applied), probabilities, or raw scores. Default <see cref="OnnxOutputKind.Auto"/>.</summary>
    public OnnxOutputKind OutputKind { get; set; } = OnnxOutputKind.Auto;

    /// <summary>
    /// Name of the score column. Default <c>Score</c>. For one value per row (binary) it is a <see cref="float"/> raw score / logit;
    /// for several values per row it is a vector of class probabilities (raw values with <see cref="OnnxOutputKind.RawScore"/>).
    /// </summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>
    /// Name of the <see cref="float"/> probability column. Default <c>Probability</c>. Present for binary models (unless the output is
    /// <see cref="OnnxOutputKind.RawScore"/> with no probability output) and for multiclass models when <see cref="PositiveClassIndex"/> is set.
    /// </summary>
    public string ProbabilityColumnName { get; set; } = "Probability";

    /// <summary>For a multiclass output: the class whose probability fills <see cref="ProbabilityColumnName"/>. Default <see langword="null"/>: no probability column.</summary>
    public int? PositiveClassIndex { get; set; }

    /// <summary>When set, a column of this name exposes the score output's raw values (before any sigmoid / softmax) as a float vector. Default <see langword="null"/>.</summary>
    public string? RawOutputColumnName { get; set; }

    /// <summary>GPU to run on through the CUDA execution provider. Default <see langword="null"/>: CPU. Same meaning as ML.NET's <c>gpuDeviceId</c>.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>
    /// When the CUDA provider cannot start (no CUDA libraries, CPU-only ONNX Runtime package, no device): run on the CPU instead
    /// (<see langword="true"/>) or throw (<see langword="false"/>, default, as ML.NET's <c>fallbackToCpu</c>).
    /// </summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>Threads used inside one operator. Default <see langword="null"/>: ONNX Runtime's default (one per physical core).</summary>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>Threads used across operators. Default <see langword="null"/>: ONNX Runtime's default.</summary>
    public int? InterOpNumThreads { get; set; }

    /// <summary>Graph optimisation level of the session. Default <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    internal OnnxScoringOptions Clone()
    {
        var copy = (OnnxScoringOptions)MemberwiseClone();
        copy.InputColumnNames = [.. InputColumnNames ?? []];
        copy.ModelInputNames = ModelInputNames is null ? null : [.. ModelInputNames];
        copy.ShapeDictionary = ShapeDictionary is null ? null : ShapeDictionary.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        return copy;
    }

    /// <summary>Checks the options that need no model, naming the one out of range.</summary>
    internal void Validate()
    {
        if (BatchSize < 1 || BatchSize > OnnxBatchScorer.MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize,
                $"{nameof(BatchSize)} must be in [1, {OnnxBatchScorer.MaxBatchSize}]: each cursor holds a batch of inputs and outputs, and batches beyond a few hundred rows gain nothing (docs/benchmarks/onnx-scoring.md).");
        if (GpuDeviceId < 0)
            throw new ArgumentOutOfRangeException(nameof(GpuDeviceId), GpuDeviceId,
                $"{nameof(GpuDeviceId)} must be a GPU index (0 for the first GPU), or null for the CPU.");
    }
}
