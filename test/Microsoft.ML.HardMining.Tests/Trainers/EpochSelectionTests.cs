using Microsoft.ML.HardMining.Trainers;

namespace Microsoft.ML.HardMining.Tests.Trainers;

[TestClass]
public sealed class EpochSelectionTests
{
    private static long[] Ranking(int n) => Enumerable.Range(0, n).Select(i => (long)(n - 1 - i)).ToArray(); // row n-1 is the hardest

    [TestMethod]
    public void TopKTakesTheHardestAfterTheNoiseGuard()
    {
        var picked = MiningEngine<ITransformer>.SelectHard(Ranking(100), 10, EpochSelection.TopK, 0, 0.05, new Random(1));
        CollectionAssert.AreEquivalent(Enumerable.Range(85, 10).Select(i => (long)i).ToArray(), picked.ToArray());
    }

    [TestMethod]
    public void StochasticFavoursHardRowsByPercentilePowerBetaAndIsSeeded()
    {
        var ranking = Ranking(1000);
        var a = MiningEngine<ITransformer>.SelectHard(ranking, 100, EpochSelection.Stochastic, 3, 0.01, new Random(7));
        var b = MiningEngine<ITransformer>.SelectHard(ranking, 100, EpochSelection.Stochastic, 3, 0.01, new Random(7));
        CollectionAssert.AreEquivalent(a.ToArray(), b.ToArray(), "same seed, same draw");
        Assert.HasCount(100, a);
        Assert.IsFalse(a.Any(r => r >= 990), "the noise guard's top 1% is never drawn");
        // With weights percentile^3 the expected percentile of a draw is well above the uniform 0.5.
        double meanPercentile = a.Average(r => r / 999.0);
        Assert.IsGreaterThan(0.7, meanPercentile);
        // beta = 0 is a uniform draw: its mean percentile is near 0.5 (loose bound for 100 draws).
        var uniform = MiningEngine<ITransformer>.SelectHard(ranking, 100, EpochSelection.Stochastic, 0, 0, new Random(7));
        Assert.AreEqual(0.5, uniform.Average(r => r / 999.0), 0.1);
    }

    [TestMethod]
    public void RankingIsATotalOrder()
    {
        float[] losses = [0.5f, 2f, 0.5f, 2f, 1f];
        CollectionAssert.AreEqual(new long[] { 1, 3, 4, 0, 2 }, MiningEngine<ITransformer>.Ranking([0, 1, 2, 3, 4], losses));
    }
}
