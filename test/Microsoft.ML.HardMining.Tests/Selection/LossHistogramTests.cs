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
