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

    [TestMethod]
    [DataRow(600, 1000L)]
    [DataRow(5000, 10_000_000L)]
    [DataRow(5000, 1L << 44)]
    public void SortsASliceOfALargerArrayAndLeavesTheRestAlone(int count, long positionsBelow)
    {
        // The assembler sorts the front of arrays rented from the shared pool, which are longer than the selection.
        var random = new Random(count);
        var positions = new HashSet<long>();
        while (positions.Count < count) positions.Add(random.NextInt64(positionsBelow));
        var buffer = positions.OrderBy(_ => random.Next()).Concat(Enumerable.Repeat(-7L, 100)).ToArray();
        var orderBuffer = Enumerable.Range(0, count).Concat(Enumerable.Repeat(-9, 100)).ToArray();
        var expectedPositions = buffer.Take(count).ToArray();
        var expectedOrder = Enumerable.Range(0, count).ToArray();
        Array.Sort(expectedPositions, expectedOrder);

        PositionSort.Sort(buffer.AsSpan(0, count), orderBuffer.AsSpan(0, count));
        CollectionAssert.AreEqual(expectedPositions, buffer.Take(count).ToArray(), "positions");
        CollectionAssert.AreEqual(expectedOrder, orderBuffer.Take(count).ToArray(), "the permutation");
        Assert.IsTrue(buffer.Skip(count).All(p => p == -7) && orderBuffer.Skip(count).All(o => o == -9), "past the slice nothing changed");
    }

    [TestMethod]
    public void ArraysOfDifferentLengthsAreRefused()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => PositionSort.Sort(new long[3], new int[2]));
        Assert.AreEqual("order", error.ParamName);
    }
}
