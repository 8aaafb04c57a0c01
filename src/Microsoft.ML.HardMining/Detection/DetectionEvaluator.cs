namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// Single-class detection evaluation with COCO-style greedy matching: all detections of all images are taken
/// by confidence (ties: image order, then detection order); each matches the still-unmatched ground-truth box of its
/// image with the highest IoU at or above the threshold (ties: the lower ground-truth index), or is a false positive.
/// </summary>
/// <remarks>
/// ML.NET's own object-detection evaluator is internal and matches by IoU order, so it is written here. For several
/// classes, evaluate each class's detections and ground truth separately and average.
/// </remarks>
public static class DetectionEvaluator
{
    /// <summary>Matches detections to ground truth and builds the precision/recall curve.</summary>
    /// <param name="images">Every image evaluated, including those without ground truth or without detections.</param>
    /// <param name="iouThreshold">Minimum IoU of a match. Default 0.5.</param>
    /// <returns>The metrics.</returns>
    public static DetectionMetrics Evaluate(IEnumerable<ImageDetections> images, float iouThreshold = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!(iouThreshold > 0 && iouThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(iouThreshold), iouThreshold, "The matching IoU threshold must be in (0, 1], e.g. 0.5.");
        var list = images.ToList();
        var all = new List<(float Score, int Image, int Det)>();
        var groundTruth = 0;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null || list[i].GroundTruth is null || list[i].Detections is null)
                throw new ArgumentException(list[i] is null ? $"Image {i} is null." :
                    $"Image '{list[i].ImageId}' has no {(list[i].GroundTruth is null ? "ground-truth" : "detection")} list: give an empty list for none.", nameof(images));
            groundTruth += list[i].GroundTruth.Count;
            for (var d = 0; d < list[i].Detections.Count; d++)
            {
                var s = list[i].Detections[d].Score;
                if (float.IsNaN(s))
                    throw new ArgumentException($"Detection {d} of image '{list[i].ImageId}' has a NaN score.", nameof(images));
                all.Add((s, i, d));
            }
        }
        all.Sort((a, b) =>
        {
            var c = b.Score.CompareTo(a.Score);
            if (c != 0) return c;
            c = a.Image.CompareTo(b.Image);
            return c != 0 ? c : a.Det.CompareTo(b.Det);
        });

        var matched = list.Select(im => new bool[im.GroundTruth.Count]).ToArray();
        var curve = new DetectionCurvePoint[all.Count];
        var isTp = new bool[all.Count];
        int tp = 0, fp = 0;
        for (var k = 0; k < all.Count; k++)
        {
            var (score, image, det) = all[k];
            var box = list[image].Detections[det].Box;
            var gts = list[image].GroundTruth;
            var best = -1;
            var bestIoU = iouThreshold;
            for (var g = 0; g < gts.Count; g++)
            {
                if (matched[image][g])
                    continue;
                var iou = box.IoU(gts[g]);
                if (iou >= bestIoU && (best < 0 || iou > bestIoU))
                {
                    bestIoU = iou;
                    best = g;
                }
            }
            if (best >= 0)
            {
                matched[image][best] = true;
                tp++;
                isTp[k] = true;
            }
            else
            {
                fp++;
            }
            curve[k] = new DetectionCurvePoint(score, tp, fp, groundTruth == 0 ? 0 : (double)tp / groundTruth, (double)tp / (tp + fp));
        }
        return new DetectionMetrics(list.Count, groundTruth, curve, isTp, iouThreshold);
    }
}
