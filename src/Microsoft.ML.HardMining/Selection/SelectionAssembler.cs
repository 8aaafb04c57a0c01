namespace Microsoft.ML.HardMining;

/// <summary>
/// The last step, shared by the streaming selector and the reference: per class, skip the noise-guarded top, take the
/// hard part of the budget, then the random share from what is left, and assign weights.
/// </summary>
internal static class SelectionAssembler
{
    // Runs once per pass: compiled fully at once rather than first at tier 0.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static MiningSelection Assemble(SelectionPlan plan, ClassPools[] pools, GroupStage.Counters groupCounters, IReadOnlyList<string>? groupNames)
    {
        var options = plan.Options;
        var selected = new List<(MiningCandidate Candidate, SelectedRowKind Kind, float Weight)>(
            (int)Math.Min(Array.MaxLength, pools.Select((p, c) => plan.BudgetOf(c).Resolve(p.ValidRows)).Sum()));
        var classReports = new ClassReport[plan.ClassCount];
        long selectedPositives = 0;

        // Positives first, so a negatives-per-positive cap knows how many positives were kept.
        var order = plan.IsBinary ? new[] { 1, 0 } : Enumerable.Range(0, plan.ClassCount).ToArray();
        foreach (var c in order)
        {
            var pool = pools[c];
            var budget = plan.BudgetOf(c).Resolve(pool.ValidRows);
            if (plan.IsBinary && c == 0 && options.NegativesPerPositive > 0 && !plan.Grouped)
                budget = Math.Min(budget, (long)Math.Ceiling(options.NegativesPerPositive * selectedPositives));

            var noiseCount = plan.NoiseCount(pool.ValidRows);
            var noise = new HashSet<long>();
            for (var i = 0; i < noiseCount && i < pool.ByLoss.Count; i++) noise.Add(pool.ByLoss[i].Position);

            var randomCount = plan.RandomCount(budget);
            var hardCount = budget - randomCount;
            var hardSource = pool.HardPool ?? (options.Mode == SelectionMode.Stochastic ? pool.BySamplingKey! : pool.ByLoss);
            var hard = new HashSet<long>();
            foreach (var candidate in hardSource)
            {
                if (hard.Count >= hardCount) break;
                if (noise.Contains(candidate.Position)) continue;
                hard.Add(candidate.Position);
                selected.Add((candidate, SelectedRowKind.Hard, options.HardExampleWeight));
            }

            var remainingEasy = Math.Max(0, pool.ValidRows - pool.AboveMaxLoss - noise.Count - hard.Count);
            var randomRows = new List<MiningCandidate>();
            foreach (var candidate in pool.ByRandomKey)
            {
                if (randomRows.Count >= randomCount) break;
                if (noise.Contains(candidate.Position) || hard.Contains(candidate.Position)) continue;
                randomRows.Add(candidate);
            }
            var randomWeight = randomRows.Count == 0 ? 0f : (float)((double)remainingEasy / randomRows.Count);
            foreach (var candidate in randomRows)
                selected.Add((candidate, SelectedRowKind.Random, randomWeight));

            if (c == 1 && plan.IsBinary) selectedPositives = hard.Count + randomRows.Count;
            classReports[c] = new ClassReport(c, pool.ValidRows, hard.Count, randomRows.Count, noise.Count + pool.AboveMaxLoss, budget);
        }

        // Positions are unique: sorting them as plain numbers orders the rows without a comparison per pair of 80-byte tuples.
        var positions = new long[selected.Count];
        var byPosition = new int[selected.Count];
        for (var i = 0; i < positions.Length; i++) (positions[i], byPosition[i]) = (selected[i].Candidate.Position, i);
        Array.Sort(positions, byPosition);
        var inPositionOrder = new List<(MiningCandidate Candidate, SelectedRowKind Kind, float Weight)>(byPosition.Length);
        foreach (var i in byPosition) inPositionOrder.Add(selected[i]);
        return new MiningSelection(plan, inPositionOrder, classReports, groupCounters, groupNames);
    }
}
