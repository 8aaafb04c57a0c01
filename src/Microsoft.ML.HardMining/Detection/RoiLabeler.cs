namespace Microsoft.ML.HardMining.Detection;

/// <summary>Labels candidate boxes against ground truth by IoU and computes OHEM's per-RoI loss.</summary>
public static class RoiLabeler
{
    /// <summary>Labels the candidates of one image (see <see cref="RoiLabelingOptions"/> for the rules).</summary>
    /// <param name="imageId">Image id written to every row.</param>
    /// <param name="candidates">Candidates in original-image pixels.</param>
    /// <param name="groundTruth">Ground truth (empty for a background-only image: every candidate is then negative).</param>
    /// <param name="options">Thresholds and loss weights; default options when null.</param>
    /// <returns>One row per candidate, in the given order.</returns>
    public static IReadOnlyList<CandidateRow> Label(string imageId, IReadOnlyList<DetectionCandidate> candidates, IReadOnlyList<BoundingBox> groundTruth, RoiLabelingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(imageId);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(groundTruth);
        options ??= new RoiLabelingOptions();
        options.Validate();
        var rows = new CandidateRow[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var best = -1;
            var bestIoU = 0f;
            for (var g = 0; g < groundTruth.Count; g++)
            {
                var iou = c.Box.IoU(groundTruth[g]);
                if (iou > bestIoU)
                {
                    bestIoU = iou;
                    best = g;
                }
            }
            var kind = bestIoU >= options.PositiveIouThreshold ? RoiLabel.Positive
                : bestIoU < options.NegativeIouThreshold ? RoiLabel.Negative
                : RoiLabel.Ignored;
            double cls = kind switch
            {
                RoiLabel.Positive => ExampleLosses.LogLossFromProbability(true, c.Score),
                RoiLabel.Negative => ExampleLosses.LogLossFromProbability(false, c.Score),
                _ => 0,
            };
            var loc = kind == RoiLabel.Positive ? LocalizationLoss(c.Box, groundTruth[best], options.SmoothL1Beta) : 0;
            rows[i] = new CandidateRow
            {
                ImageId = imageId,
                CandidateIndex = i,
                Box = c.Box.ToArray(),
                Score = c.Score,
                ClassId = c.ClassId,
                BestIoU = bestIoU,
                MatchedGroundTruth = best,
                Kind = kind.ToString(),
                Label = kind == RoiLabel.Positive,
                ClassificationLoss = (float)cls,
                LocalizationLoss = (float)loc,
                Loss = (float)(cls + options.LocalizationWeight * loc),
            };
        }
        return rows;
    }

    /// <summary>
    /// Smooth-L1 loss of a predicted box against its ground truth on the Fast R-CNN targets
    /// <c>((gx - px)/pw, (gy - py)/ph, log(gw/pw), log(gh/ph))</c>, summed over the four targets.
    /// </summary>
    /// <param name="predicted">Predicted box (non-empty).</param>
    /// <param name="truth">Ground-truth box (non-empty).</param>
    /// <param name="beta">Quadratic-to-linear transition (1 in Fast R-CNN).</param>
    /// <returns>The loss, 0 when the boxes are equal.</returns>
    public static double LocalizationLoss(BoundingBox predicted, BoundingBox truth, double beta = 1.0)
    {
        if (predicted.Width <= 0 || predicted.Height <= 0 || truth.Width <= 0 || truth.Height <= 0)
            return 0;
        double pw = predicted.Width, ph = predicted.Height;
        var tx = (truth.CenterX - predicted.CenterX) / pw;
        var ty = (truth.CenterY - predicted.CenterY) / ph;
        var tw = Math.Log(truth.Width / pw);
        var th = Math.Log(truth.Height / ph);
        return SmoothL1(tx, beta) + SmoothL1(ty, beta) + SmoothL1(tw, beta) + SmoothL1(th, beta);
    }

    private static double SmoothL1(double x, double beta)
    {
        var a = Math.Abs(x);
        return a < beta ? 0.5 * a * a / beta : a - 0.5 * beta;
    }
}
