namespace Microsoft.ML.HardMining.Detection;

public static partial class Nms
{
    /// <summary>
    /// Fast greedy NMS with the same result as <see cref="GreedyReference"/>: one sort
    /// (score descending, index ascending), then each box is tested only against the boxes already
    /// kept, held in flat coordinate arrays with precomputed areas. O(n log n + n·k) for k kept boxes.
    /// </summary>
    /// <param name="boxes">Candidate boxes.</param>
    /// <param name="scores">One finite score per box; higher is kept first.</param>
    /// <param name="iouThreshold">Boxes with IoU strictly above this are suppressed; in [0, 1].</param>
    /// <param name="maxKeep">Stop after keeping this many boxes.</param>
    /// <returns>Indices of the kept boxes, best first.</returns>
    public static int[] Greedy(IReadOnlyList<BoundingBox> boxes, IReadOnlyList<double> scores, float iouThreshold, int maxKeep = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        Validate(boxes.Count, scores.Count, iouThreshold, maxKeep);
        var n = boxes.Count;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (double.IsNaN(scores[i]))
                throw new ArgumentException($"Score {i} is NaN; NMS needs finite scores.", nameof(scores));
            order[i] = i;
        }
        Array.Sort(order, (a, b) =>
        {
            var c = scores[b].CompareTo(scores[a]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var cap = Math.Min(n, maxKeep);
        var kx1 = new float[cap];
        var ky1 = new float[cap];
        var kx2 = new float[cap];
        var ky2 = new float[cap];
        var karea = new float[cap];
        var kept = new int[cap];
        var k = 0;
        for (var r = 0; r < n && k < cap; r++)
        {
            var b = boxes[order[r]];
            float x1 = b.X1, y1 = b.Y1, x2 = b.X2, y2 = b.Y2;
            var area = (x2 - x1) * (y2 - y1);
            var suppressed = false;
            for (var j = 0; j < k; j++)
            {
                var iw = MathF.Min(x2, kx2[j]) - MathF.Max(x1, kx1[j]);
                if (iw <= 0)
                    continue;
                var ih = MathF.Min(y2, ky2[j]) - MathF.Max(y1, ky1[j]);
                if (ih <= 0)
                    continue;
                var inter = iw * ih;
                var union = area + karea[j] - inter;
                if (union > 0 && inter / union > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }
            if (suppressed)
                continue;
            kx1[k] = x1;
            ky1[k] = y1;
            kx2[k] = x2;
            ky2[k] = y2;
            karea[k] = area;
            kept[k++] = order[r];
        }
        return kept.AsSpan(0, k).ToArray();
    }
}
