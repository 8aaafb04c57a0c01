namespace Microsoft.ML.HardMining.Tests.Selection;

[TestClass]
public sealed class LossHistogramTests
{
    [TestMethod]
    public void BinsAreMonotoneAndEdgesBracketTheLoss()
    {
        var previous = 0;
        for (var loss = 0.0; loss < 70; loss += 0.0137)
        {
            var bin = LossHistogram.BinOf(loss);
            Assert.IsGreaterThanOrEqualTo(previous, bin, $"loss {loss}");
            previous = bin;
            Assert.IsLessThanOrEqualTo(loss + 1e-12, LossHistogram.BinLowerEdge(bin), $"lower edge at loss {loss}");
            if (bin < LossHistogram.BinCount - 1)
                Assert.IsLessThan(LossHistogram.BinLowerEdge(bin + 1), loss, $"upper edge at loss {loss}");
        }
        Assert.AreEqual(LossHistogram.BinCount - 1, LossHistogram.BinOf(1e300));
        Assert.AreEqual(0, LossHistogram.BinOf(0));

        // The coarse octaves, up to the largest Single: still monotone, and each loss within its bin's edges.
        previous = LossHistogram.BinOf(63);
        for (var loss = 63.0; loss < float.MaxValue; loss *= 1.013)
        {
            var bin = LossHistogram.BinOf(loss);
            Assert.IsGreaterThanOrEqualTo(previous, bin, $"loss {loss}");
            previous = bin;
            Assert.IsLessThanOrEqualTo(loss * (1 + 1e-12), LossHistogram.BinLowerEdge(bin), $"lower edge at loss {loss}");
            if (bin < LossHistogram.BinCount - 1)
                Assert.IsLessThan(LossHistogram.BinLowerEdge(bin + 1), loss, $"upper edge at loss {loss}");
        }
        // The last bin is the top sixteenth of the last octave, where the largest Single falls; only larger losses share it.
        Assert.AreEqual(LossHistogram.BinCount - 1, LossHistogram.BinOf(float.MaxValue));
        Assert.IsLessThan((double)float.MaxValue, LossHistogram.BinLowerEdge(LossHistogram.BinCount - 1));
    }

    [TestMethod]
    public void LargeLossesKeepTheirPercentiles()
    {
        // Losses 100..1099 used to share the last bin: one percentile for all, so stochastic selection drew them uniformly.
        var histogram = new LossHistogram();
        for (var loss = 100; loss < 1100; loss++) histogram.Add(loss);
        foreach (var rank in new[] { 50, 250, 500, 900, 990 })
            Assert.AreEqual((rank + 0.5) / 1000, histogram.Percentile(100 + rank), 0.03, $"rank {rank}");
        Assert.AreEqual(600, histogram.Quantile(0.5), 600 * 0.05);
    }

    [TestMethod]
    public void PercentileAndQuantilesAgreeWithBruteForceWithinABin()
    {
        var random = new Random(4);
        var losses = Enumerable.Range(0, 20_000).Select(_ => -Math.Log(random.NextDouble())).ToList();
        var histogram = new LossHistogram();
        foreach (var l in losses) histogram.Add(l);
        var sorted = losses.Order().ToList();
        foreach (var q in new[] { 0.1, 0.5, 0.9, 0.99 })
        {
            var exact = sorted[(int)(q * sorted.Count)];
            Assert.AreEqual(exact, histogram.Quantile(q), 0.01 * (1 + exact), $"quantile {q}");
            Assert.AreEqual(q, histogram.Percentile(exact), 0.01, $"percentile at quantile {q}");
        }
        var merged = new LossHistogram();
        var half = new LossHistogram();
        foreach (var l in losses.Take(10_000)) merged.Add(l);
        foreach (var l in losses.Skip(10_000)) half.Add(l);
        merged.AddRange(half);
        CollectionAssert.AreEqual(histogram.Counts.ToArray(), merged.Counts.ToArray());
        Assert.AreEqual(histogram.Max, merged.Max);
    }
}
