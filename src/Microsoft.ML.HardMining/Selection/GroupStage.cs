namespace Microsoft.ML.HardMining;

/// <summary>
/// Per-group selection, TF HardExampleMiner's order of operations: rank the group's rows by loss, drop boxes that
/// overlap a harder one (NMS), keep the first <see cref="HardExampleMiningOptions.MaxPerGroup"/>, then keep every positive
/// and <c>max(MinNegativesPerGroup, ratio * positives)</c> negatives.
/// </summary>
internal static class GroupStage
{
    public sealed class Counters
    {
        public long SuppressedByNms;
        public long DroppedByGroupQuota;
        public long DroppedByRatio;
        public long DroppedByCandidateCap;
    }

    public static List<MiningCandidate> Apply(SelectionPlan plan, List<MiningCandidate> group, Counters counters)
    {
        var options = plan.Options;
        CandidateOrder.Sort<ByLoss>(group);
        var kept = options.BoxColumnName is null ? group : SuppressOverlaps(group, options.NmsIouThreshold, counters);

        if (options.MaxPerGroup > 0 && kept.Count > options.MaxPerGroup)
        {
            counters.DroppedByGroupQuota += kept.Count - options.MaxPerGroup;
            kept = kept.GetRange(0, options.MaxPerGroup);
        }

        if (!plan.IsBinary || options.NegativesPerPositive <= 0)
            return kept;

        var positives = kept.Count(c => c.ClassIndex == 1);
        var maxNegatives = Math.Max(options.MinNegativesPerGroup, (long)Math.Floor(options.NegativesPerPositive * positives));
        var result = new List<MiningCandidate>(kept.Count);
        long negatives = 0;
        foreach (var c in kept)
        {
            if (c.ClassIndex == 1 || negatives++ < maxNegatives) result.Add(c);
            else counters.DroppedByRatio++;
        }
        return result;
    }

    /// <summary>Greedy NMS over rows already ranked by loss: a row survives unless a kept, harder row overlaps it above the threshold.</summary>
    private static List<MiningCandidate> SuppressOverlaps(List<MiningCandidate> ranked, double iouThreshold, Counters counters)
    {
        var kept = new List<MiningCandidate>(ranked.Count);
        foreach (var c in ranked)
        {
            var suppressed = false;
            foreach (var k in kept)
            {
                if (Iou(c, k) > iouThreshold) { suppressed = true; break; }
            }
            if (suppressed) counters.SuppressedByNms++;
            else kept.Add(c);
        }
        return kept;
    }

    internal static double Iou(in MiningCandidate a, in MiningCandidate b)
    {
        var w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1);
        var h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        if (w <= 0 || h <= 0) return 0;
        var inter = (double)w * h;
        var union = (double)(a.X2 - a.X1) * (a.Y2 - a.Y1) + (double)(b.X2 - b.X1) * (b.Y2 - b.Y1) - inter;
        return union > 0 ? inter / union : 0;
    }
}
