namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>The pooled position set against HashSet&lt;long&gt;, its plain equivalent.</summary>
[TestClass]
public sealed class PositionSetTests
{
    [TestMethod]
    [DataRow(0, 100, 10L)]
    [DataRow(16, 1_000, 50L)]
    [DataRow(100, 5_000, 1_000_000L)]
    [DataRow(6_750, 20_000, 10_000_000L)]
    [DataRow(10, 50_000, 1L << 50)]
    public void AddsAndFindsLikeAHashSet(int capacity, int operations, long positionsBelow)
    {
        // A capacity below the rows added makes the table grow; few distinct positions make Add meet duplicates.
        var random = new Random(operations);
        var reference = new HashSet<long>();
        using var set = new PositionSet(capacity);
        for (var i = 0; i < operations; i++)
        {
            var position = random.NextInt64(positionsBelow);
            if (random.Next(3) == 0)
                Assert.AreEqual(reference.Contains(position), set.Contains(position), $"Contains({position}) after {i} operations");
            else
                Assert.AreEqual(reference.Add(position), set.Add(position), $"Add({position}) after {i} operations");
            Assert.AreEqual(reference.Count, set.Count, $"count after {i} operations");
        }
        foreach (var position in reference) Assert.IsTrue(set.Contains(position), $"{position} is still found after the growth");
    }

    [TestMethod]
    public void ConsecutivePositionsDoNotPileUp()
    {
        // The assembler adds runs of nearby rows; every one of them must stay findable, and none of their neighbours appear.
        using var set = new PositionSet(1000);
        for (long p = 1_000_000; p < 1_004_000; p += 2) Assert.IsTrue(set.Add(p));
        for (long p = 1_000_000; p < 1_004_000; p++) Assert.AreEqual(p % 2 == 0, set.Contains(p), $"position {p}");
        Assert.AreEqual(2000, set.Count);
    }

    [TestMethod]
    public void NegativePositionsAreRefusedAndNeverFound()
    {
        using var set = new PositionSet(4);
        set.Add(0);
        Assert.IsFalse(set.Contains(-1), "the empty-slot marker is no position");
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => set.Add(-1));
        Assert.AreEqual("position", error.ParamName);
        Assert.IsTrue(set.Contains(0));
        Assert.AreEqual(1, set.Count);
    }
}
