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
        var selected = new MiningSelection.Builder(
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

            var noiseCount = (int)Math.Min(plan.NoiseCount(pool.ValidRows), pool.ByLoss.Count);
            using var noise = new PositionSet(noiseCount);
            for (var i = 0; i < noiseCount; i++) noise.Add(pool.ByLoss[i].Position);

            var randomCount = plan.RandomCount(budget);
            var hardCount = budget - randomCount;
            var hardSource = pool.HardPool ?? (options.Mode == SelectionMode.Stochastic ? pool.BySamplingKey! : pool.ByLoss);
            using var hard = new PositionSet((int)Math.Min(hardCount, hardSource.Count));
            // When every candidate is hard, their order cannot matter (the result is put in position order): a buffer then
            // skips its sort.
            var hardRows = noiseCount == 0 && hardCount >= hardSource.Count ? RankedCandidates.InAnyOrderOf(hardSource) : hardSource;
            for (var i = 0; i < hardRows.Count && hard.Count < hardCount; i++)
            {
                var candidate = hardRows[i];
                if (noise.Contains(candidate.Position)) continue;
                hard.Add(candidate.Position);
                selected.Add(candidate, SelectedRowKind.Hard, options.HardExampleWeight);
            }

            // The random share's weight stands for every easy row it was drawn from, so it is set once the share is counted.
            var randomStart = selected.Count;
            for (var i = 0; i < pool.ByRandomKey.Count && selected.Count - randomStart < randomCount; i++)
            {
                var candidate = pool.ByRandomKey[i];
                if (noise.Contains(candidate.Position) || hard.Contains(candidate.Position)) continue;
                selected.Add(candidate, SelectedRowKind.Random, 0f);
            }
            var randomRows = selected.Count - randomStart;
            var remainingEasy = Math.Max(0, pool.ValidRows - pool.AboveMaxLoss - noise.Count - hard.Count);
            selected.SetWeightsFrom(randomStart, randomRows == 0 ? 0f : (float)((double)remainingEasy / randomRows));

            if (c == 1 && plan.IsBinary) selectedPositives = hard.Count + randomRows;
            classReports[c] = new ClassReport(c, pool.ValidRows, hard.Count, randomRows, noise.Count + pool.AboveMaxLoss, budget);
        }
        return selected.Build(plan, classReports, groupCounters, groupNames);
    }
}
