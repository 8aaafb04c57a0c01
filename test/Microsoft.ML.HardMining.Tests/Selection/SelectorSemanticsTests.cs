namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>The selector's choices against brute force written here from the documented rules, independent of the library's code.</summary>
[TestClass]
public sealed class SelectorSemanticsTests
{
    [TestMethod]
    public void TopKIsTheHardestByLossWithEarlierRowWinningTies()
    {
        var rows = SelectorTestData.Rows(3000, 11);
        var options = new HardExampleMiningOptions { Negatives = MiningBudget.Count(100), Positives = MiningBudget.Count(40), RandomShare = 0 };
        var selection = SelectorTestData.Stream(SelectorTestData.Plan(options, rows), rows, 3);

        var expected = rows.Select(r => r.Candidate)
            .GroupBy(c => c.ClassIndex)
            .SelectMany(g => g.OrderByDescending(c => c.Hardness).ThenBy(c => c.Position).Take(g.Key == 1 ? 40 : 100))
            .Select(c => c.Position).Order().ToArray();
        CollectionAssert.AreEqual(expected, selection.Positions);
    }

    [TestMethod]
    public void RandomShareDrawsFromTheEasierRowsAndIsWeightedByInverseInclusion()
    {
        var rows = SelectorTestData.Rows(4000, 12);
        var options = new HardExampleMiningOptions { Negatives = MiningBudget.Count(200), Positives = MiningBudget.All, RandomShare = 0.25, Seed = 5, Output = MiningOutputMode.Weight };
        var selection = SelectorTestData.Stream(SelectorTestData.Plan(options, rows), rows, 2);

        var negatives = rows.Select(r => r.Candidate).Where(c => c.ClassIndex == 0).ToList();
        var hard = negatives.OrderByDescending(c => c.Hardness).ThenBy(c => c.Position).Take(150).Select(c => c.Position).ToHashSet();
        var hardSelected = Enumerable.Range(0, selection.Positions.Length)
            .Where(i => selection.ClassIndexes[i] == 0 && selection.Kinds[i] == SelectedRowKind.Hard).Select(i => selection.Positions[i]).ToHashSet();
        Assert.IsTrue(hard.SetEquals(hardSelected), "the hard part is the top 150 by loss");

        var randomIndexes = Enumerable.Range(0, selection.Positions.Length).Where(i => selection.ClassIndexes[i] == 0 && selection.Kinds[i] == SelectedRowKind.Random).ToList();
        Assert.HasCount(50, randomIndexes);
        foreach (var i in randomIndexes)
        {
            Assert.DoesNotContain(selection.Positions[i], hard);
            Assert.AreEqual((negatives.Count - 150) / 50f, selection.Weights[i], 1e-3f, "a random row stands for the easy rows left out");
        }
        // The random rows are spread over the easy losses, not the next-hardest ones.
        var randomLosses = randomIndexes.Select(i => selection.Losses[i]).ToList();
        var threshold = negatives.Select(c => c.Hardness).OrderDescending().ElementAt(150);
        Assert.IsLessThan(threshold, randomLosses.Average(), "random rows come from the easier part");
    }

    [TestMethod]
    public void SameSeedSameSelectionOtherSeedOtherRandomRows()
    {
        var rows = SelectorTestData.Rows(3000, 13);
        MiningSelection Run(int seed, int partitions) =>
            SelectorTestData.Stream(SelectorTestData.Plan(new HardExampleMiningOptions { Seed = seed, Mode = SelectionMode.Stochastic }, rows), rows, partitions);
        CollectionAssert.AreEqual(Run(1, 1).Positions, Run(1, 5).Positions, "same seed, any partitioning");
        CollectionAssert.AreNotEqual(Run(1, 1).Positions, Run(2, 1).Positions, "another seed draws other rows");
    }

    [TestMethod]
    public void StochasticModePrefersHighLossRows()
    {
        var rows = SelectorTestData.Rows(6000, 14);
        var options = new HardExampleMiningOptions { Mode = SelectionMode.Stochastic, Beta = 3, RandomShare = 0, Negatives = MiningBudget.Fraction(0.2) };
        var selection = SelectorTestData.Stream(SelectorTestData.Plan(options, rows), rows, 1);
        var negatives = rows.Select(r => r.Candidate).Where(c => c.ClassIndex == 0).ToList();
        var selectedLoss = Enumerable.Range(0, selection.Positions.Length).Where(i => selection.ClassIndexes[i] == 0).Average(i => selection.Losses[i]);
        var topK = negatives.OrderByDescending(c => c.Hardness).Take(selection.Classes[0].Selected.ToInt()).Average(c => c.Hardness);
        var mean = negatives.Average(c => c.Hardness);
        Assert.IsGreaterThan(mean + 0.5, selectedLoss, "sampling by percentile^3 favours hard rows");
        Assert.IsLessThan(topK, selectedLoss, "but is softer than top-k");
    }

    [TestMethod]
    public void NoiseGuardSkipsTheVeryHardest()
    {
        var rows = SelectorTestData.Rows(2000, 15);
        var options = new HardExampleMiningOptions { NoiseGuardFraction = 0.05, Negatives = MiningBudget.Count(100), RandomShare = 0 };
        var selection = SelectorTestData.Stream(SelectorTestData.Plan(options, rows), rows, 1);
        var negatives = rows.Select(r => r.Candidate).Where(c => c.ClassIndex == 0).OrderByDescending(c => c.Hardness).ThenBy(c => c.Position).ToList();
        var skip = (int)Math.Floor(0.05 * negatives.Count);
        var expected = negatives.Skip(skip).Take(100).Select(c => c.Position).ToHashSet();
        var actual = Enumerable.Range(0, selection.Positions.Length).Where(i => selection.ClassIndexes[i] == 0).Select(i => selection.Positions[i]).ToHashSet();
        Assert.IsTrue(expected.SetEquals(actual));
        Assert.AreEqual(skip, selection.Classes[0].LeftOutAsNoise);
    }

    [TestMethod]
    public void NegativesPerPositiveCapsNegatives()
    {
        var rows = SelectorTestData.Rows(2000, 16);
        var options = new HardExampleMiningOptions { Negatives = MiningBudget.All, Positives = MiningBudget.Count(30), NegativesPerPositive = 3, RandomShare = 0 };
        var selection = SelectorTestData.Stream(SelectorTestData.Plan(options, rows), rows, 1);
        Assert.AreEqual(30, selection.Classes[1].Selected);
        Assert.AreEqual(90, selection.Classes[0].Selected);
    }

    [TestMethod]
    public void GroupStageFollowsTfHardExampleMinerPerImage()
    {
        var rows = SelectorTestData.Rows(1200, 17, groups: 12);
        var options = new HardExampleMiningOptions
        {
            GroupColumnName = "image", BoxColumnName = "box", NmsIouThreshold = 0.7, MaxPerGroup = 20,
            NegativesPerPositive = 3, MinNegativesPerGroup = 2, Negatives = MiningBudget.All, RandomShare = 0,
        };
        var selection = SelectorTestData.Stream(SelectorTestData.Plan(options, rows), rows, 2);

        // Brute force per image: rank by loss, naive NMS, top 20, positives + max(2, 3*pos) negatives.
        var expected = new List<long>();
        foreach (var group in rows.GroupBy(r => r.Group))
        {
            var ranked = group.Select(r => r.Candidate).OrderByDescending(c => c.Hardness).ThenBy(c => c.Position).ToList();
            var kept = new List<MiningCandidate>();
            foreach (var c in ranked)
                if (kept.All(k => NaiveIou(c, k) <= 0.7)) kept.Add(c);
            kept = kept.Take(20).ToList();
            var pos = kept.Count(c => c.ClassIndex == 1);
            var maxNeg = Math.Max(2, 3 * pos);
            expected.AddRange(kept.Where(c => c.ClassIndex == 1).Select(c => c.Position));
            expected.AddRange(kept.Where(c => c.ClassIndex == 0).Take(maxNeg).Select(c => c.Position));
        }
        CollectionAssert.AreEqual(expected.Order().ToArray(), selection.Positions);
        Assert.IsNotNull(selection.SelectedPerGroup);
        Assert.AreEqual(selection.Positions.Length, selection.SelectedPerGroup.Sum(kv => kv.Value));
    }

    private static double NaiveIou(MiningCandidate a, MiningCandidate b)
    {
        double ix = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        double iy = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        var inter = ix * iy;
        var union = (a.X2 - a.X1) * (a.Y2 - a.Y1) + (b.X2 - b.X1) * (b.Y2 - b.Y1) - inter;
        return inter / union;
    }
}

internal static class LongExtensions
{
    public static int ToInt(this long value) => checked((int)value);
}
