namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>The bounded top-k buffer against a plain sort, and its overflow: exactly the rows that are not among the first k.</summary>
[TestClass]
public sealed class BoundedTopKTests
{
    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(100)]
    [DataRow(5000)]
    public void KeepsTheFirstKAndPassesEveryOtherRowToItsOverflow(int capacity)
    {
        foreach (var seed in new[] { 1, 2 })
        {
            var rows = Rows(3000, seed);
            // The overflow has room for every row, so it shows exactly what it was given.
            var overflow = new BoundedTopK<ByRandomKey>(rows.Length);
            var top = new BoundedTopK<ByLoss>(capacity, overflow);
            foreach (var row in rows) top.Add(row);
            top.DropBeyondCapacity();

            var expected = rows.OrderByDescending(r => r.Hardness).ThenBy(r => r.Position).Take(capacity).Select(r => r.Position).ToArray();
            CollectionAssert.AreEqual(expected, top.ToSortedList().Select(r => r.Position).ToArray(), $"capacity {capacity}, seed {seed}: the first k in order");

            var rest = rows.Select(r => r.Position).Except(expected).Order().ToArray();
            CollectionAssert.AreEqual(rest, overflow.ToSortedList().Select(r => r.Position).Order().ToArray(), $"capacity {capacity}, seed {seed}: the overflow holds every other row once");
            var byKey = overflow.ToSortedList().Select(r => r.RandomKey).ToArray();
            CollectionAssert.AreEqual(byKey.Order().ToArray(), byKey, "the overflow ranks by its own order");
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(50)]
    [DataRow(2000)]
    public void TheKeptRowsReadInAnyOrderAreTheFirstKAndIndexingStillRanksThem(int capacity)
    {
        var rows = Rows(3000, seed: 3);
        var top = new BoundedTopK<ByLoss>(capacity);
        foreach (var row in rows) top.Add(row);
        var expected = rows.OrderByDescending(r => r.Hardness).ThenBy(r => r.Position).Take(capacity).Select(r => r.Position).ToArray();

        var kept = top.ToSortedList();
        var unordered = kept.InAnyOrder.Select(r => r.Position).ToArray();
        CollectionAssert.AreEquivalent(expected, unordered, $"capacity {capacity}: the same rows, unsorted");
        if (capacity > 1)
            CollectionAssert.AreNotEqual(expected, unordered, $"capacity {capacity}: reading in any order skipped the sort");
        CollectionAssert.AreEqual(expected, Enumerable.Range(0, kept.Count).Select(i => kept[i].Position).ToArray(), $"capacity {capacity}: indexing sorts first");
        CollectionAssert.AreEqual(expected, kept.Select(r => r.Position).ToArray(), $"capacity {capacity}: so does enumerating");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(333)]
    [DataRow(1499)]
    [DataRow(1500)]
    public void SplittingTheKeptRowsGivesTheFirstRowsAndTheRestAsASortWouldAndIndexingStillRanksThem(int head)
    {
        const int capacity = 1500;
        var rows = Rows(4000, seed: 4);
        var top = new BoundedTopK<ByLoss>(capacity);
        foreach (var row in rows) top.Add(row);
        var ranked = rows.OrderByDescending(r => r.Hardness).ThenBy(r => r.Position).Take(capacity).Select(r => r.Position).ToArray();

        // The buffer's view (a partial selection) and a list already in order (slices) against the same sort.
        IRankedCandidates[] kinds = [top.ToSortedList(), new RankedCandidates(rows.OrderByDescending(r => r.Hardness).ThenBy(r => r.Position).Take(capacity).ToArray())];
        foreach (var kept in kinds)
        {
            var (first, rest) = kept.SplitInAnyOrder(head);
            CollectionAssert.AreEquivalent(ranked[..head], first.Select(r => r.Position).ToArray(), $"{kept.GetType().Name}, head {head}: the first rows");
            CollectionAssert.AreEquivalent(ranked[head..], rest.Select(r => r.Position).ToArray(), $"{kept.GetType().Name}, head {head}: the rest");
            Assert.AreEqual(head, first.Count);
            Assert.AreEqual(capacity - head, rest.Count);
            CollectionAssert.AreEqual(ranked, Enumerable.Range(0, kept.Count).Select(i => kept[i].Position).ToArray(), $"{kept.GetType().Name}, head {head}: indexing ranks after a split");
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => kept.SplitInAnyOrder(capacity + 1));
        }
    }

    [TestMethod]
    public void SelectionPutsEveryNodeOnTheRightSideOfTheRank()
    {
        var random = new Random(5);
        // From 1,024 nodes the pivot comes from a sample: keys in order and in reverse order are the inputs a sample could
        // misjudge, few distinct keys the ones where positions decide.
        Func<int, double>[] keyKinds = [i => random.Next(8), i => random.NextDouble(), i => i, i => -i];
        foreach (var length in new[] { 1, 2, 17, 18, 100, 1024, 4097, 13_500 })
        {
            foreach (var keyOf in keyKinds)
            {
                foreach (var rank in new[] { 0, length / 2, length - 1, random.Next(length) }.Distinct())
                {
                    var slots = UniquePositions(length, random);
                    var nodes = Enumerable.Range(0, length).Select(i => new BoundedTopK<ByLoss>.Node(keyOf(i), i)).ToArray();
                    var sorted = nodes.OrderByDescending(n => n.Key).ThenBy(n => slots[n.Slot].Position).ToArray();
                    BoundedTopK<ByLoss>.Select(nodes, rank, slots);
                    var context = $"length {length}, rank {rank}, keys {Array.IndexOf(keyKinds, keyOf)}";
                    Assert.AreEqual(sorted[rank].Slot, nodes[rank].Slot, $"{context}: the node of rank {rank}");
                    CollectionAssert.AreEquivalent(sorted.Take(rank).Select(n => n.Slot).ToArray(), nodes.Take(rank).Select(n => n.Slot).ToArray(), $"{context}: the nodes before it");
                }
            }
        }
    }

    [TestMethod]
    public void SortOrdersLikeASortByKeyThenPosition()
    {
        var random = new Random(6);
        foreach (var length in new[] { 0, 1, 2, 17, 18, 1000, 20_000 })
        {
            var slots = UniquePositions(length, random);
            var nodes = Enumerable.Range(0, length).Select(i => new BoundedTopK<ByRandomKey>.Node(random.Next(50) / 7.0, i)).ToArray();
            var expected = nodes.OrderBy(n => n.Key).ThenBy(n => slots[n.Slot].Position).Select(n => n.Slot).ToArray();
            BoundedTopK<ByRandomKey>.Sort(nodes, slots);
            CollectionAssert.AreEqual(expected, nodes.Select(n => n.Slot).ToArray(), $"length {length}");
        }
    }

    // Positions in shuffled order, each once: a position is a row, and ties between keys are broken by it.
    private static MiningCandidate[] UniquePositions(int length, Random random) =>
        Enumerable.Range(0, length).Select(i => 7L * i + 3).OrderBy(_ => random.Next()).Select(p => new MiningCandidate { Position = p }).ToArray();

    private static MiningCandidate[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        // Coarse hardness so that ties are common.
        return Enumerable.Range(0, count).Select(i => new MiningCandidate
        {
            Position = i,
            Hardness = Math.Round(random.NextDouble() * 50),
            RandomKey = random.NextDouble(),
            GroupIndex = -1,
        }).ToArray();
    }
}
