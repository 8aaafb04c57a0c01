namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>The random share's block-wise keys: i.i.d. Exp(1) per position, and gates that never rule out a key that passes.</summary>
[TestClass]
public sealed class RandomShareKeysTests
{
    [TestMethod]
    public void KeysAreExponentialWithMeanAndQuantilesOfExpOne()
    {
        var keys = new RandomShareKeys(seed: 3);
        const int n = 200_000;
        var values = Enumerable.Range(0, n).Select(i => keys.Key(i)).Order().ToArray();
        Assert.AreEqual(1.0, values.Average(), 0.01);
        // Kolmogorov-Smirnov distance to the Exp(1) distribution function; 1.63 / sqrt(n) is its 1% critical value.
        var distance = values.Select((v, i) => Math.Max(Math.Abs((i + 1.0) / n - (1 - Math.Exp(-v))), Math.Abs((double)i / n - (1 - Math.Exp(-v))))).Max();
        Assert.IsLessThan(1.63 / Math.Sqrt(n), distance);
    }

    [TestMethod]
    public void KeysOfNeighboursAreUncorrelated()
    {
        var keys = new RandomShareKeys(seed: 4);
        var values = Enumerable.Range(0, 100_000).Select(i => keys.Key(i)).ToArray();
        // Within a block the keys share the block's minimum; the lag-1 correlation must still vanish (Exp(1) variance is 1).
        var lag1 = Enumerable.Range(0, values.Length - 1).Average(i => (values[i] - 1) * (values[i + 1] - 1));
        Assert.AreEqual(0, lag1, 0.02);
        // The smallest key of a block sits where the block's hash says, and every other key of the block is above it.
        for (long block = 0; block < 1000; block++)
        {
            var hash = keys.BlockHash(block);
            var start = block * RandomShareKeys.BlockSize;
            var minimum = RandomShareKeys.BlockMinimum(hash);
            var argMinimum = start + RandomShareKeys.ArgMinimumOffset(hash);
            Assert.AreEqual(minimum, keys.Key(argMinimum));
            for (var p = start; p < start + RandomShareKeys.BlockSize; p++)
                if (p != argMinimum) Assert.IsGreaterThan(minimum, keys.Key(p));
        }
    }

    [TestMethod]
    public void UniformBitsOrderLikeTheUniformsAndTheirBarIsPermissive()
    {
        var keys = new RandomShareKeys(seed: 8);
        var random = new Random(8);
        for (long p = 0; p < 50_000; p++)
        {
            var uniform = keys.RowUniform(p);
            // Bars just below, at and just above the row's own uniform, and far from it.
            foreach (var bar in new[] { uniform - 1e-15, uniform, uniform + 1e-15, random.NextDouble(), 1 - 1e-12 })
            {
                if (uniform > bar) Assert.IsTrue(keys.RowUniformBits(p) > RandomShareKeys.UniformBitsBelow(bar), $"row {p}, bar {bar:R}");
            }
            Assert.AreEqual(uniform, (keys.RowUniformBits(p) + 0.5) / (1UL << 53), $"row {p}: the bits are the uniform's");
        }
    }

    [TestMethod]
    public void GatesNeverRuleOutAKeyBelowTheBar()
    {
        var keys = new RandomShareKeys(seed: 5);
        foreach (var gate in new[] { 0.0005, 0.003, 0.02, 0.3, 2.0 })
        {
            var blockBar = RandomShareKeys.BlockMayHoldKeyBelow(gate);
            long below = 0;
            for (long block = 0; block < 20_000; block++)
            {
                var hash = keys.BlockHash(block);
                var open = RandomShareKeys.BlockUniform(hash) > blockBar;
                var minimum = RandomShareKeys.BlockMinimum(hash);
                var rowBar = RandomShareKeys.RowMayHaveKeyBelow(minimum, gate);
                for (var p = block * RandomShareKeys.BlockSize; p < (block + 1) * RandomShareKeys.BlockSize; p++)
                {
                    if (!(keys.Key(p) < gate)) continue;
                    below++;
                    Assert.IsTrue(open, $"gate {gate}: block {block} holds key {keys.Key(p)} but was ruled out");
                    // The fast scan's look ahead compares the block's test as integer bits.
                    Assert.IsTrue(RandomShareKeys.BlockUniformBits(hash) > RandomShareKeys.UniformBitsBelow(blockBar),
                        $"gate {gate}: block {block} holds key {keys.Key(p)} but was ruled out by its bits");
                    var isMinimum = p == block * RandomShareKeys.BlockSize + RandomShareKeys.ArgMinimumOffset(hash);
                    Assert.IsTrue(isMinimum || keys.RowUniform(p) > rowBar, $"gate {gate}: row {p} ruled out");
                    // The fast scan compares the same test as integer bits.
                    Assert.IsTrue(isMinimum || keys.RowUniformBits(p) > RandomShareKeys.UniformBitsBelow(rowBar), $"gate {gate}: row {p} ruled out by its bits");
                }
            }
            Assert.IsGreaterThan(0, below, $"gate {gate}: some keys fall below it");
        }
        Assert.AreEqual(0, RandomShareKeys.BlockMayHoldKeyBelow(double.PositiveInfinity));
        Assert.AreEqual(long.MaxValue, RandomShareKeys.UniformBitsBelow(2), "a bar of 2 lets no row through");
        Assert.AreEqual(2, RandomShareKeys.RowMayHaveKeyBelow(0.5, 0.1));
    }
}
