using Microsoft.ML.HardMining.Diagnostics;
using Microsoft.ML.HardMining.Scoring;

namespace Microsoft.ML;

/// <summary>Catalog entry points for batched ONNX scoring (<see cref="OnnxBatchScorer"/>).</summary>
public static class OnnxScoringCatalog
{
    /// <summary>
    /// Scores data with an ONNX model in batches of <paramref name="batchSize"/> rows, adding <c>Score</c> and <c>Probability</c> columns.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelPath">Path of the <c>.onnx</c> file.</param>
    /// <param name="inputColumnName">Float column (scalar or known-size vector, e.g. <c>ExtractPixels</c> output) feeding the model's single input.</param>
    /// <param name="scoreColumnName">Name of the score column.</param>
    /// <param name="batchSize">Rows per ONNX Runtime call when the model's batch axis is dynamic.</param>
    /// <param name="outputKind">How the score output is read: <see cref="OnnxOutputKind.Auto"/> decides from the output's name.</param>
    /// <param name="gpuDeviceId">GPU for the CUDA execution provider; <see langword="null"/> runs on the CPU.</param>
    /// <param name="fallbackToCpu">Run on the CPU when CUDA cannot start instead of throwing.</param>
    /// <returns>An estimator whose <c>Fit</c> opens the model once and returns the <see cref="OnnxBatchScorer"/>.</returns>
    /// <remarks>
    /// Unlike <c>ApplyOnnxModel</c>, which calls ONNX Runtime once per row, this feeds whole batches. The fitted scorer cannot be
    /// saved in an ML.NET model and is not usable in a <c>PredictionEngine</c>; see <see cref="OnnxBatchScorer"/>.
    /// </remarks>
    public static OnnxBatchScoringEstimator ScoreOnnxBatched(this TransformsCatalog catalog, string modelPath, string inputColumnName,
        string scoreColumnName = "Score", int batchSize = 64, OnnxOutputKind outputKind = OnnxOutputKind.Auto, int? gpuDeviceId = null, bool fallbackToCpu = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        return ScoreOnnxBatched(catalog, new OnnxScoringOptions
        {
            ModelPath = modelPath,
            InputColumnNames = [inputColumnName],
            ScoreColumnName = scoreColumnName,
            BatchSize = batchSize,
            OutputKind = outputKind,
            GpuDeviceId = gpuDeviceId,
            FallbackToCpu = fallbackToCpu,
        });
    }

    /// <summary>Scores data with an ONNX model in batches, as configured by <paramref name="options"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Model, columns, outputs and execution provider; copied.</param>
    /// <returns>An estimator whose <c>Fit</c> opens the model once and returns the <see cref="OnnxBatchScorer"/>.</returns>
    /// <remarks>The execution provider that runs is logged once, through <see cref="MLContext.Log"/>, when the scorer is fitted.</remarks>
    public static OnnxBatchScoringEstimator ScoreOnnxBatched(this TransformsCatalog catalog, OnnxScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new OnnxBatchScoringEstimator(CatalogEnvironment.TryGet(catalog), options);
    }
}
