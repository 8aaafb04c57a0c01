using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>How a verifier's probability and the detector's score make the final score.</summary>
public enum VerifierCombination
{
    /// <summary>Detector score × verifier probability (a two-stage cascade; default).</summary>
    Product,

    /// <summary>The verifier probability alone.</summary>
    VerifierOnly,

    /// <summary>
    /// The smaller of the two: a cascade where a box passes a threshold only if both the detector and the verifier pass
    /// it, so the verifier can only demote boxes, never promote a weak detection above a strong one.
    /// </summary>
    Minimum,
}

/// <summary>A detection rescored by a verifier.</summary>
/// <param name="Box">The box in original-image pixels.</param>
/// <param name="DetectorScore">The detector's confidence.</param>
/// <param name="VerifierProbability">The verifier's probability that the box holds an object.</param>
/// <param name="Score">The combined score.</param>
public readonly record struct VerifiedDetection(BoundingBox Box, float DetectorScore, float VerifierProbability, float Score);

/// <summary>The prediction pipeline of the false-positive-reduction workflow: detector, then verifier on every candidate.</summary>
public sealed class VerifiedDetector
{
    private readonly MLContext _mlContext;
    private readonly OnnxDetector _detector;
    private readonly ITransformer _verifier;
    private readonly RoiFeaturizer _featurizer;
    private readonly VerifierCombination _combination;

    /// <summary>Wraps a detector (not owned) and a fitted verifier.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="detector">The detector.</param>
    /// <param name="verifier">A verifier fitted with <see cref="FalsePositiveVerifier.CreateTrainingPipeline"/>.</param>
    /// <param name="featurizer">The featurizer it was trained with.</param>
    /// <param name="combination">How scores combine. Default <see cref="VerifierCombination.Product"/>.</param>
    public VerifiedDetector(MLContext mlContext, OnnxDetector detector, ITransformer verifier, RoiFeaturizer featurizer, VerifierCombination combination = VerifierCombination.Product)
    {
        _mlContext = mlContext ?? throw new ArgumentNullException(nameof(mlContext));
        _detector = detector ?? throw new ArgumentNullException(nameof(detector));
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _featurizer = featurizer ?? throw new ArgumentNullException(nameof(featurizer));
        // A cast integer used to fall through to the verifier's score alone, without a word.
        if (!Enum.IsDefined(combination))
            throw new ArgumentOutOfRangeException(nameof(combination), combination, $"Use one of {string.Join(", ", Enum.GetNames<VerifierCombination>())}.");
        _combination = combination;
    }

    /// <summary>Detects, then rescores every candidate with the verifier; best combined score first.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The rescored detections.</returns>
    public IReadOnlyList<VerifiedDetection> Detect(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Rescore(image, _detector.Detect(image).Candidates);
    }

    /// <summary>Rescores given candidates of an image (e.g. detections computed once and shared between verifiers).</summary>
    /// <param name="image">The image.</param>
    /// <param name="candidates">The detector's candidates on it.</param>
    /// <returns>The rescored detections, best combined score first (ties keep candidate order).</returns>
    public IReadOnlyList<VerifiedDetection> Rescore(RgbImage image, IReadOnlyList<DetectionCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
            return [];
        var data = FalsePositiveVerifier.CreateData(_mlContext, _featurizer, candidates.Select(c => (image, c.Box, false)));
        var probabilities = ReadProbabilities(_verifier.Transform(data), candidates.Count);
        var result = new VerifiedDetection[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var p = probabilities[i];
            var s = _combination switch
            {
                VerifierCombination.Product => candidates[i].Score * p,
                VerifierCombination.Minimum => Math.Min(candidates[i].Score, p),
                _ => p,
            };
            result[i] = new VerifiedDetection(candidates[i].Box, candidates[i].Score, p, s);
        }
        return result.Select((d, i) => (d, i)).OrderByDescending(t => t.d.Score).ThenBy(t => t.i).Select(t => t.d).ToArray();
    }

    private static float[] ReadProbabilities(IDataView scored, int count)
    {
        var result = new float[count];
        var probability = scored.Schema.GetColumnOrNull("Probability");
        var column = probability ?? scored.Schema.GetColumnOrNull("Score")
            ?? throw new InvalidOperationException("The verifier produced neither a 'Probability' nor a 'Score' column: fit it with FalsePositiveVerifier.CreateTrainingPipeline and a binary trainer.");
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<float>(column);
        var i = 0;
        float v = 0;
        while (cursor.MoveNext() && i < count)
        {
            getter(ref v);
            result[i++] = probability is null ? 1f / (1f + MathF.Exp(-v)) : v;
        }
        return result;
    }
}
