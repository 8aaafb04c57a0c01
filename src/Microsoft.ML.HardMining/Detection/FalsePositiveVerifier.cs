using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>One RoI of a verifier's training or scoring table.</summary>
public sealed class RoiFeatureRow
{
    /// <summary>True when the RoI is an object (a face), false for background.</summary>
    public bool Label { get; set; }

    /// <summary>RoI features (see <see cref="RoiFeaturizer"/>).</summary>
    public float[] Features { get; set; } = [];
}

/// <summary>
/// The false-positive-reduction workflow: RoI crops → features → a binary ML.NET classifier (the verifier) trained on
/// object RoIs against background RoIs (ideally those mined by OHEM from the detector's own candidates); at
/// prediction time every detector candidate passes through the verifier (<see cref="VerifiedDetector"/>).
/// </summary>
/// <remarks>
/// Training pipeline: <c>rois → <see cref="CreateData"/> → NormalizeMeanVariance("Features") → trainer</c>.
/// Prediction pipeline: <c>image → OnnxDetector → candidates → RoiFeaturizer → fitted verifier → Probability</c>,
/// combined with the detector score (see <see cref="VerifierCombination"/>).
/// </remarks>
public static class FalsePositiveVerifier
{
    /// <summary>Featurizes RoIs into an ML.NET view with a <c>Label</c> (bool) and a <c>Features</c> (fixed-size float vector) column.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="featurizer">The featurizer.</param>
    /// <param name="rois">Image, box and label of each RoI.</param>
    /// <returns>The view (materialised in memory).</returns>
    public static IDataView CreateData(MLContext mlContext, RoiFeaturizer featurizer, IEnumerable<(RgbImage Image, BoundingBox Box, bool Label)> rois)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(rois);
        var rows = rois.Select(r => new RoiFeatureRow { Label = r.Label, Features = featurizer.Featurize(r.Image, r.Box) }).ToList();
        return mlContext.Data.LoadFromEnumerable(rows, Schema(featurizer));
    }

    /// <summary>The training pipeline: normalise the features (mean/variance), then the given binary trainer.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="trainer">A binary trainer reading <c>Label</c> and <c>Features</c> (e.g. FastTree, LbfgsLogisticRegression).</param>
    /// <returns>The estimator to fit on <see cref="CreateData"/>'s view.</returns>
    public static IEstimator<ITransformer> CreateTrainingPipeline(MLContext mlContext, IEstimator<ITransformer> trainer)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(trainer);
        return mlContext.Transforms.NormalizeMeanVariance(nameof(RoiFeatureRow.Features)).Append(trainer);
    }

    internal static SchemaDefinition Schema(RoiFeaturizer featurizer)
    {
        var schema = SchemaDefinition.Create(typeof(RoiFeatureRow));
        schema[nameof(RoiFeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featurizer.Length);
        return schema;
    }
}
