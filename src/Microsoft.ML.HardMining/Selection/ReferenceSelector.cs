namespace Microsoft.ML.HardMining;

/// <summary>
/// The plain version of <see cref="HardExampleSelector"/>: hold every row, sort, take. O(rows) memory; the streaming
/// selector is tested against it.
/// </summary>
internal static class ReferenceSelector
{
    public static MiningSelection Select(SelectionPlan plan, IReadOnlyList<(MiningCandidate Candidate, string? Group)> rows)
    {
        var options = plan.Options;
        var perClass = new List<MiningCandidate>[plan.ClassCount];
        var histograms = new LossHistogram[plan.ClassCount];
        var validRows = new long[plan.ClassCount];
        var aboveMaxLoss = new long[plan.ClassCount];
        for (var c = 0; c < plan.ClassCount; c++) { perClass[c] = []; histograms[c] = new LossHistogram(); }

        var groupNames = new List<string>();
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var randomKeys = new RandomShareKeys(options.Seed);
        // A growing stride ends at the stride of the rows seen, the last row's position + 1.
        var histogramStride = plan.HistogramStride != SelectionPlan.GrowingHistogramStride ? plan.HistogramStride
            : HistogramSampler.StrideFor(rows.Count == 0 ? 0 : rows.Max(r => r.Candidate.Position) + 1);
        foreach (var (row, group) in rows)
        {
            var candidate = row;
            validRows[candidate.ClassIndex]++;
            var loss = plan.LossOf(candidate.ClassIndex, candidate.Hardness);
            if ((candidate.Position & (histogramStride - 1)) == 0) histograms[candidate.ClassIndex].Add(loss);
            candidate.RandomKey = randomKeys.Key(candidate.Position);
            if (loss > options.MaxLoss) { aboveMaxLoss[candidate.ClassIndex]++; continue; }
            if (options.Mode == SelectionMode.Stochastic)
                candidate.SamplingKey = plan.SamplingKey(candidate.ClassIndex, loss, candidate.Position);
            if (plan.Grouped)
            {
                var key = group ?? string.Empty;
                if (!groupIndex.TryGetValue(key, out var g)) { g = groupNames.Count; groupIndex.Add(key, g); groupNames.Add(key); }
                candidate.GroupIndex = g;
            }
            perClass[candidate.ClassIndex].Add(candidate);
        }

        var counters = new GroupStage.Counters();
        List<MiningCandidate>[]? survivors = null;
        if (plan.Grouped)
        {
            var noise = new HashSet<long>();
            for (var c = 0; c < plan.ClassCount; c++)
                foreach (var candidate in Sorted<ByLoss>(perClass[c]).Take((int)plan.NoiseCount(validRows[c])))
                    noise.Add(candidate.Position);

            survivors = new List<MiningCandidate>[plan.ClassCount];
            for (var c = 0; c < plan.ClassCount; c++) survivors[c] = [];
            foreach (var group in perClass.SelectMany(l => l).GroupBy(c => c.GroupIndex).OrderBy(g => g.Key))
            {
                var candidates = Sorted<ByLoss>(group.ToList());
                var cap = options.MaxCandidatesPerGroup;
                if (cap > 0 && candidates.Count > cap)
                {
                    counters.DroppedByCandidateCap += candidates.Count - cap;
                    candidates = candidates.GetRange(0, cap);
                }
                candidates.RemoveAll(c => noise.Contains(c.Position));
                foreach (var c in GroupStage.Apply(plan, candidates, counters)) survivors[c.ClassIndex].Add(c);
            }
            for (var c = 0; c < plan.ClassCount; c++)
                survivors[c] = options.Mode == SelectionMode.Stochastic ? Sorted<BySamplingKey>(survivors[c]) : Sorted<ByLoss>(survivors[c]);
        }

        var pools = new ClassPools[plan.ClassCount];
        for (var c = 0; c < plan.ClassCount; c++)
        {
            pools[c] = new ClassPools
            {
                ByLoss = Sorted<ByLoss>(perClass[c]),
                BySamplingKey = options.Mode == SelectionMode.Stochastic ? Sorted<BySamplingKey>(perClass[c]) : null,
                ByRandomKey = Sorted<ByRandomKey>(perClass[c]),
                HardPool = survivors?[c],
                ValidRows = validRows[c],
                AboveMaxLoss = aboveMaxLoss[c],
            };
        }
        var selection = SelectionAssembler.Assemble(plan, pools, counters, plan.Grouped ? groupNames : null);
        for (var c = 0; c < plan.ClassCount; c++) selection.Classes[c].Losses = histograms[c];
        return selection;
    }

    private static List<MiningCandidate> Sorted<TOrder>(List<MiningCandidate> items) where TOrder : struct, ICandidateOrder
    {
        var copy = new List<MiningCandidate>(items);
        CandidateOrder.Sort<TOrder>(copy);
        return copy;
    }
}
