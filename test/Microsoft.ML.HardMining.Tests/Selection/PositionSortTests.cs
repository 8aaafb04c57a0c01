namespace Microsoft.ML.HardMining.Tests.Selection;

[TestClass]
public sealed class PositionSortTests
{
    [TestMethod]
    [DataRow(0, 100L)]
    [DataRow(10, 100L)]
    [DataRow(511, 1_000_000L)]
    [DataRow(512, 600L)]
    [DataRow(10_000, 10_000_000L)]
    [DataRow(10_000, 1L << 44)]
    [DataRow(30_000, 1L << 50)]
    public void SortsLikeArraySortWithThePermutationAlongside(int count, long positionsBelow)
    {
        var random = new Random(count);
        // Unique positions in random order, as the assembler picks them.
        var positions = new HashSet<long>();
        while (positions.Count < count) positions.Add(random.NextInt64(positionsBelow));
        var shuffled = positions.OrderBy(_ => random.Next()).ToArray();
        var expectedPositions = shuffled.ToArray();
        var expectedOrder = Enumerable.Range(0, count).ToArray();
        Array.Sort(expectedPositions, expectedOrder);

        var order = Enumerable.Range(0, count).ToArray();
        PositionSort.Sort(shuffled, order);
        CollectionAssert.AreEqual(expectedPositions, shuffled, "positions");
        CollectionAssert.AreEqual(expectedOrder, order, "the permutation");
    }
}
