namespace Microsoft.ML.HardMining.Detection;

/// <summary>Single-class detection metrics from COCO-style greedy matching (see <see cref="DetectionEvaluator"/>).</summary>
public sealed class DetectionMetrics
{
    internal DetectionMetrics(int images, int groundTruth, IReadOnlyList<DetectionCurvePoint> curve, IReadOnlyList<bool> isTruePositive, float iou)
    {
        Images = images;
        GroundTruthBoxes = groundTruth;
        Curve = curve;
        IsTruePositive = isTruePositive;
        IouThreshold = iou;
        AveragePrecision = Ap101(curve);
    }

    /// <summary>Images evaluated.</summary>
    public int Images { get; }

    /// <summary>Ground-truth boxes over all images.</summary>
    public int GroundTruthBoxes { get; }

    /// <summary>IoU threshold used for matching.</summary>
    public float IouThreshold { get; }

    /// <summary>One point per detection, in matching order (score descending; equal scores by image, then detection, as COCO's
    /// stable sort), so a point inside a run of equal scores is a state between thresholds. <see cref="AveragePrecision"/> uses
    /// every point, as COCO does; <see cref="FalsePositivesPerImageAtRecall"/> and <see cref="AtThreshold"/> only those a
    /// threshold produces.</summary>
    public IReadOnlyList<DetectionCurvePoint> Curve { get; }

    /// <summary>Whether each detection, in matching order, was a true positive.</summary>
    public IReadOnlyList<bool> IsTruePositive { get; }

    /// <summary>Recall with every detection accepted.</summary>
    public double MaxRecall => Curve.Count == 0 ? 0 : Curve[^1].Recall;

    /// <summary>
    /// Average precision, COCO's 101-point interpolation: the mean over recall levels 0, 0.01, …, 1 of the
    /// best precision reached at that recall or beyond (0 where the recall is never reached).
    /// </summary>
    public double AveragePrecision { get; }

    /// <summary>
    /// False positives per image at the highest threshold whose recall reaches <paramref name="recall"/>, accepting every
    /// detection that scores at least that threshold (as <see cref="AtThreshold"/> does: a threshold never splits a tie, so
    /// the answer does not depend on the order of the images or of their detections); <see langword="null"/> when the
    /// recall is never reached.
    /// </summary>
    /// <param name="recall">Target recall in [0, 1].</param>
    /// <returns>False positives per image, or null.</returns>
    public double? FalsePositivesPerImageAtRecall(double recall)
    {
        if (!(recall >= 0 && recall <= 1))
            throw new ArgumentOutOfRangeException(nameof(recall), recall, "Recall must be in [0, 1].");
        if (recall == 0)
            return 0;
        var needed = Evaluation.RecallTarget.TruePositivesNeeded(recall, GroundTruthBoxes);
        for (var i = 0; i < Curve.Count; i++)
        {
            // Only the last point of a run of equal scores is a state some threshold produces.
            if (i + 1 < Curve.Count && Curve[i + 1].Threshold == Curve[i].Threshold) continue;
            if (Curve[i].TruePositives >= needed)
                return (double)Curve[i].FalsePositives / Math.Max(1, Images);
        }
        return null;
    }

    /// <summary>Recall and false positives per image when every detection scoring at least <paramref name="threshold"/> is accepted.</summary>
    /// <param name="threshold">Score threshold; NaN is rejected.</param>
    /// <returns>Recall and false positives per image.</returns>
    public (double Recall, double FalsePositivesPerImage) AtThreshold(float threshold)
    {
        if (float.IsNaN(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must not be NaN.");
        DetectionCurvePoint? last = null;
        foreach (var p in Curve)
        {
            if (p.Threshold < threshold)
                break;
            last = p;
        }
        return last is { } l ? (l.Recall, (double)l.FalsePositives / Math.Max(1, Images)) : (0, 0);
    }

    private static double Ap101(IReadOnlyList<DetectionCurvePoint> curve)
    {
        if (curve.Count == 0)
            return 0;
        // Precision envelope from the right.
        var envelope = new double[curve.Count];
        var best = 0.0;
        for (var i = curve.Count - 1; i >= 0; i--)
        {
            best = Math.Max(best, curve[i].Precision);
            envelope[i] = best;
        }
        var sum = 0.0;
        var j = 0;
        for (var k = 0; k <= 100; k++)
        {
            var r = k / 100.0;
            while (j < curve.Count && curve[j].Recall < r - 1e-12)
                j++;
            if (j < curve.Count)
                sum += envelope[j];
        }
        return sum / 101;
    }
}
