namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>Random rows for exact-behaviour tests of the selector: losses with deliberate ties, groups, boxes.</summary>
internal static class SelectorTestData
{
    public static List<(MiningCandidate Candidate, string? Group)> Rows(int count, int seed, int classCount = 2, double positiveShare = 0.2, int groups = 0)
    {
        var random = new Random(seed);
        var rows = new List<(MiningCandidate, string?)>(count);
        for (var i = 0; i < count; i++)
        {
            var cls = classCount == 2 ? (random.NextDouble() < positiveShare ? 1 : 0) : random.Next(classCount);
            // Rounded losses make ties common, so tie-breaking is exercised.
            var loss = Math.Round(random.NextDouble() * 5, 1);
            float x = random.Next(0, 60), y = random.Next(0, 60), w = random.Next(5, 30), h = random.Next(5, 30);
            var candidate = new MiningCandidate
            {
                Position = i,
                Hardness = loss,
                ClassIndex = cls,
                GroupIndex = -1,
                X1 = x, Y1 = y, X2 = x + w, Y2 = y + h,
            };
            rows.Add((candidate, groups > 0 ? "img" + random.Next(groups) : null));
        }
        return rows;
    }

    public static SelectionPlan Plan(HardExampleMiningOptions options, IReadOnlyList<(MiningCandidate Candidate, string? Group)> rows, int classCount = 2,
        bool exactBounds = false)
    {
        var bounds = new long[classCount];
        for (var c = 0; c < classCount; c++)
            bounds[c] = exactBounds ? rows.Count(r => r.Candidate.ClassIndex == c) : rows.Count;
        LossHistogram[]? reference = null;
        if (options.Mode == SelectionMode.Stochastic)
        {
            reference = Enumerable.Range(0, classCount).Select(_ => new LossHistogram()).ToArray();
            foreach (var (c, _) in rows) reference[c.ClassIndex].Add(c.Hardness);
        }
        return new SelectionPlan(options, classCount, classCount == 2, bounds, reference);
    }

    /// <summary>Streams the rows through <paramref name="partitions"/> selectors (round-robin) and merges them.</summary>
    public static MiningSelection Stream(SelectionPlan plan, IReadOnlyList<(MiningCandidate Candidate, string? Group)> rows, int partitions)
    {
        var selectors = Enumerable.Range(0, partitions).Select(_ => new HardExampleSelector(plan)).ToArray();
        var random = new Random(42);
        foreach (var (candidate, group) in rows)
            selectors[random.Next(partitions)].Add(candidate, group);
        for (var i = 1; i < partitions; i++) selectors[0].Merge(selectors[i]);
        return selectors[0].Complete();
    }
}
