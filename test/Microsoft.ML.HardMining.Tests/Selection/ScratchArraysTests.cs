namespace Microsoft.ML.HardMining.Tests.Selection;

[TestClass]
public sealed class ScratchArraysTests
{
    [TestMethod]
    public void SmallArraysAreReusedAndLargeOnesGoBackToTheGc()
    {
        // A budget's buffers of a few megabytes come back pass after pass, on the same thread.
        var small = ScratchArrays.Rent<long>(1000);
        ScratchArrays.Return(small);
        Assert.AreSame(small, ScratchArrays.Rent<long>(1000));

        // Beyond the bound the shared pool would keep the array for the life of the process: 16 MB is not handed to it.
        var large = ScratchArrays.Rent<long>(2 << 20);
        Assert.IsGreaterThan(ScratchArrays.PooledBytes, (long)large.Length * sizeof(long));
        ScratchArrays.Return(large);
        Assert.AreNotSame(large, ScratchArrays.Rent<long>(2 << 20));
    }
}
