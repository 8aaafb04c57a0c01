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
            var randomCount = plan.RandomCount(budget);
            var hardCount = budget - randomCount;
            var (hardTaken, noiseSkipped, randomStart) = noiseCount == 0 && pool.EasyByRandomKey is { } easy && pool.ByLoss is IRankedCandidates lossPool
                ? TakeApartPools(selected, lossPool, easy, hardCount, randomCount, options.HardExampleWeight)
                : TakeWithSets(selected, plan, pool, noiseCount, hardCount, randomCount);
            // The random share's weight stands for every easy row it was drawn from, so it is set once the share is counted.
            var randomTaken = selected.Count - randomStart;
            var remainingEasy = Math.Max(0, pool.ValidRows - pool.AboveMaxLoss - noiseSkipped - hardTaken);
            selected.SetWeightsFrom(randomStart, randomTaken == 0 ? 0f : (float)((double)remainingEasy / randomTaken));

            if (c == 1 && plan.IsBinary) selectedPositives = hardTaken + randomTaken;
            classReports[c] = new ClassReport(c, pool.ValidRows, hardTaken, randomTaken, noiseSkipped + pool.AboveMaxLoss, budget);
        }
        return selected.Build(plan, classReports, groupCounters, groupNames);
    }

    /// <summary>
    /// Takes the noise-guarded top out, then the hardest rows up to <paramref name="hardCount"/>, then the random share from
    /// the rows neither took: the general case, where a row may sit in more than one pool.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static (int Hard, int Noise, int RandomStart) TakeWithSets(MiningSelection.Builder selected, SelectionPlan plan, ClassPools pool,
        int noiseCount, long hardCount, long randomCount)
    {
        var options = plan.Options;
        using var noise = new PositionSet(noiseCount);
        for (var i = 0; i < noiseCount; i++) noise.Add(pool.ByLoss[i].Position);

        var hardSource = pool.HardPool ?? (options.Mode == SelectionMode.Stochastic ? pool.BySamplingKey! : pool.ByLoss);
        using var hard = new PositionSet((int)Math.Min(hardCount, hardSource.Count));
        // When every candidate is hard, their order cannot matter (the result is put in position order): a buffer then skips
        // its sort.
        var hardRows = noiseCount == 0 && hardCount >= hardSource.Count ? RankedCandidates.InAnyOrderOf(hardSource) : hardSource;
        for (var i = 0; i < hardRows.Count && hard.Count < hardCount; i++)
        {
            var candidate = hardRows[i];
            if (noise.Contains(candidate.Position)) continue;
            hard.Add(candidate.Position);
            selected.Add(candidate, SelectedRowKind.Hard, options.HardExampleWeight);
        }

        var randomStart = selected.Count;
        for (var i = 0; i < pool.ByRandomKey.Count && selected.Count - randomStart < randomCount; i++)
        {
            var candidate = pool.ByRandomKey[i];
            if (noise.Contains(candidate.Position) || hard.Contains(candidate.Position)) continue;
            selected.Add(candidate, SelectedRowKind.Random, 0f);
        }
        return (hard.Count, noise.Count, randomStart);
    }

    /// <summary>
    /// The same result when nothing is skipped as noise and the random share's rows (<paramref name="easy"/>) are the rows the
    /// loss pool does not hold (<see cref="ClassPools.EasyByRandomKey"/>): no row can be taken twice, so no set is built or
    /// looked up. The hard rows are the loss pool's head, found by a partial selection instead of a sort; the rows of its tail
    /// (the pool had room for more than this budget's hard part) are easy too, and join the random share by key. With 200,000
    /// rows kept, the sets and the join were a quarter of the pass; with the default budget (every positive, a fifth of the
    /// negatives), the sets, the sort and the join were 46% of it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static (int Hard, int Noise, int RandomStart) TakeApartPools(MiningSelection.Builder selected, IRankedCandidates lossPool,
        IReadOnlyList<MiningCandidate> easy, long hardCount, long randomCount, float hardWeight)
    {
        // Taken whole, in any order: the result is put in position order.
        var (hardRows, tail) = lossPool.SplitInAnyOrder((int)Math.Min(hardCount, lossPool.Count));
        for (var i = 0; i < hardRows.Count; i++) selected.Add(hardRows[i], SelectedRowKind.Hard, hardWeight);
        var randomStart = selected.Count;
        if (randomCount <= 0) return (hardRows.Count, 0, randomStart);

        // A tail row after the easy pool's randomCount-th row cannot be among the first randomCount of the two joined. That
        // row is only read when there is a tail: reading it sorts the easy pool, which taking it whole does not need.
        var capped = tail.Count > 0 && randomCount <= easy.Count;
        // Uncapped, every tail row joins: room for them at once (25,000 of 72 bytes under the default budget).
        var joining = new List<MiningCandidate>(capped ? 0 : tail.Count);
        var last = capped ? easy[(int)randomCount - 1] : default;
        for (var i = 0; i < tail.Count; i++)
        {
            var candidate = tail[i];
            if (capped && !CandidateOrder.Before<ByRandomKey>(candidate, last)) continue;
            joining.Add(candidate);
        }
        if (easy.Count + joining.Count <= randomCount)
        {
            // Every easy row is drawn: their order cannot matter.
            var easyRows = RankedCandidates.InAnyOrderOf(easy);
            for (var i = 0; i < easyRows.Count; i++) selected.Add(easyRows[i], SelectedRowKind.Random, 0f);
            foreach (var candidate in joining) selected.Add(candidate, SelectedRowKind.Random, 0f);
            return (hardRows.Count, 0, randomStart);
        }
        var joined = SortByRandomKey(joining);
        int e = 0, j = 0;
        for (var taken = 0L; taken < randomCount; taken++)
        {
            var takeEasy = j == joined.Length || (e < easy.Count && CandidateOrder.Before<ByRandomKey>(easy[e], joined[j]));
            selected.Add(takeEasy ? easy[e++] : joined[j++], SelectedRowKind.Random, 0f);
        }
        return (hardRows.Count, 0, randomStart);
    }

    // The buffers' sort, with the order's comparisons inlined: a sort through IComparer<T> was 8% of a default-budget pass.
    private static MiningCandidate[] SortByRandomKey(List<MiningCandidate> candidates)
    {
        var items = candidates.ToArray();
        var nodes = new BoundedTopK<ByRandomKey>.Node[items.Length];
        for (var i = 0; i < items.Length; i++) nodes[i] = new BoundedTopK<ByRandomKey>.Node(items[i].RandomKey, i);
        BoundedTopK<ByRandomKey>.Sort(nodes, items);
        var sorted = new MiningCandidate[items.Length];
        for (var i = 0; i < items.Length; i++) sorted[i] = items[nodes[i].Slot];
        return sorted;
    }
}
