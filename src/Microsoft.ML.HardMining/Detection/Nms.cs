namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// Greedy non-maximum suppression: repeatedly keep the highest-scoring remaining box and drop
/// every remaining box whose IoU with it is strictly greater than the threshold.
/// </summary>
/// <remarks>
/// Ties in score are broken by the lower index, so the result is fully deterministic.
/// <see cref="Greedy"/> (in <c>Nms.SpeedOpt.cs</c>) is the fast routine used everywhere;
/// <see cref="GreedyReference"/> is the plain O(n²) definition kept beside it so that a test can
/// compare the two on random boxes. "Score" is whatever ranks the boxes: a detector confidence,
/// or a per-RoI loss when NMS is used to de-duplicate hard examples (OHEM).
/// </remarks>
public static partial class Nms
{
    /// <summary>
    /// The reference definition (O(n²)): pick the best remaining box, suppress its overlaps, repeat.
    /// </summary>
    /// <param name="boxes">Candidate boxes.</param>
    /// <param name="scores">One finite score per box; higher is kept first.</param>
    /// <param name="iouThreshold">Boxes with IoU strictly above this are suppressed; in [0, 1].</param>
    /// <param name="maxKeep">Stop after keeping this many boxes.</param>
    /// <returns>Indices of the kept boxes, best first.</returns>
    public static int[] GreedyReference(IReadOnlyList<BoundingBox> boxes, IReadOnlyList<double> scores, float iouThreshold, int maxKeep = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        Validate(boxes.Count, scores.Count, iouThreshold, maxKeep);
        var alive = new bool[boxes.Count];
        Array.Fill(alive, true);
        var kept = new List<int>();
        while (kept.Count < maxKeep)
        {
            var best = -1;
            for (var i = 0; i < boxes.Count; i++)
            {
                if (!alive[i])
                    continue;
                if (double.IsNaN(scores[i]))
                    throw new ArgumentException($"Score {i} is NaN; NMS needs finite scores.", nameof(scores));
                if (best < 0 || scores[i] > scores[best])
                    best = i;
            }
            if (best < 0)
                break;
            kept.Add(best);
            alive[best] = false;
            for (var i = 0; i < boxes.Count; i++)
            {
                if (alive[i] && boxes[best].IoU(boxes[i]) > iouThreshold)
                    alive[i] = false;
            }
        }
        return kept.ToArray();
    }

    private static void Validate(int boxCount, int scoreCount, float iouThreshold, int maxKeep)
    {
        if (boxCount != scoreCount)
            throw new ArgumentException($"NMS needs one score per box: {boxCount} boxes but {scoreCount} scores.", "scores");
        if (!(iouThreshold >= 0 && iouThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(iouThreshold), iouThreshold, "The NMS IoU threshold must be in [0, 1].");
        if (maxKeep < 0)
            throw new ArgumentOutOfRangeException(nameof(maxKeep), maxKeep, "maxKeep must not be negative.");
    }
}
