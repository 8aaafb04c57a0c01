namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>The streaming, mergeable selector against the materialise-sort-take reference, for every option.</summary>
[TestClass]
public sealed class SelectorMatchesReferenceTests
{
    public static IEnumerable<object[]> OptionSets()
    {
        yield return ["defaults", new HardExampleMiningOptions()];
        yield return ["counts, no random", new HardExampleMiningOptions { Negatives = MiningBudget.Count(37), Positives = MiningBudget.Count(11), RandomShare = 0 }];
        yield return ["all negatives", new HardExampleMiningOptions { Negatives = MiningBudget.All, RandomShare = 0.3 }];
        yield return ["none positives", new HardExampleMiningOptions { Positives = MiningBudget.None }];
        yield return ["ratio 3", new HardExampleMiningOptions { Negatives = MiningBudget.All, Positives = MiningBudget.Fraction(0.5), NegativesPerPositive = 3 }];
        yield return ["noise fraction", new HardExampleMiningOptions { NoiseGuardFraction = 0.05, Negatives = MiningBudget.Fraction(0.1) }];
        yield return ["max loss", new HardExampleMiningOptions { MaxLoss = 4.5, Negatives = MiningBudget.Count(50) }];
        yield return ["stochastic", new HardExampleMiningOptions { Mode = SelectionMode.Stochastic, Beta = 3, Seed = 7 }];
        yield return ["stochastic + noise", new HardExampleMiningOptions { Mode = SelectionMode.Stochastic, NoiseGuardFraction = 0.02, Beta = 1 }];
        // The random share draws from rows the loss buffer turned away or dropped, plus what it still holds when the final
        // budget comes out smaller than its room: a capped ratio, a noise guard, a fraction near half the class.
        yield return ["random share, capped ratio", new HardExampleMiningOptions { Negatives = MiningBudget.Count(100), Positives = MiningBudget.Count(20), NegativesPerPositive = 2, RandomShare = 0.4, NoiseGuardFraction = 0.01, Seed = 5 }];
        yield return ["random share, half the class", new HardExampleMiningOptions { Negatives = MiningBudget.Fraction(0.45), Positives = MiningBudget.Fraction(0.45), RandomShare = 0.5, Seed = 11 }];
        yield return ["random only", new HardExampleMiningOptions { RandomShare = 1, Seed = 3 }];
        yield return ["groups quota", new HardExampleMiningOptions { GroupColumnName = "g", MaxPerGroup = 5, Negatives = MiningBudget.All, RandomShare = 0 }];
        yield return ["groups ratio min", new HardExampleMiningOptions { GroupColumnName = "g", NegativesPerPositive = 2, MinNegativesPerGroup = 1, Negatives = MiningBudget.All, RandomShare = 0 }];
        yield return ["groups nms", new HardExampleMiningOptions { GroupColumnName = "g", BoxColumnName = "b", NmsIouThreshold = 0.3, MaxPerGroup = 8, Negatives = MiningBudget.All, RandomShare = 0 }];
        yield return ["groups nms random budget", new HardExampleMiningOptions { GroupColumnName = "g", BoxColumnName = "b", NmsIouThreshold = 0.5, Negatives = MiningBudget.Fraction(0.3), NoiseGuardFraction = 0.01 }];
        yield return ["groups candidate cap", new HardExampleMiningOptions { GroupColumnName = "g", MaxCandidatesPerGroup = 7, Negatives = MiningBudget.All, RandomShare = 0.1 }];
        yield return ["groups stochastic", new HardExampleMiningOptions { GroupColumnName = "g", MaxPerGroup = 6, Mode = SelectionMode.Stochastic }];
    }

    [TestMethod]
    [DynamicData(nameof(OptionSets))]
    public void StreamingEqualsReferenceOnRandomData(string name, HardExampleMiningOptions options)
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var rows = SelectorTestData.Rows(1500, seed, groups: options.GroupColumnName is null ? 0 : 40);
            var plan = SelectorTestData.Plan(options, rows);
            var expected = ReferenceSelector.Select(plan, rows);
            foreach (var partitions in new[] { 1, 4 })
            {
                var actual = SelectorTestData.Stream(plan, rows, partitions);
                CollectionAssert.AreEqual(expected.Positions, actual.Positions, $"{name}, seed {seed}, {partitions} partitions: positions");
                CollectionAssert.AreEqual(expected.Kinds, actual.Kinds, $"{name}: kinds");
                CollectionAssert.AreEqual(expected.Weights, actual.Weights, $"{name}: weights");
                if (expected.SelectedPerGroup is not null)
                {
                    var byGroup = actual.SelectedPerGroup!.ToDictionary(kv => kv.Key, kv => kv.Value);
                    foreach (var (group, count) in expected.SelectedPerGroup)
                        Assert.AreEqual(count, byGroup.GetValueOrDefault(group), $"{name}: rows selected in group {group}");
                    Assert.AreEqual(actual.Positions.Length, actual.SelectedPerGroup!.Sum(kv => kv.Value), $"{name}: every selected row counts in a group");
                }
            }
            Assert.IsNotEmpty(expected.Positions, $"{name}: the option set selects something");
        }
    }

    [TestMethod]
    public void MulticlassStreamingEqualsReference()
    {
        var rows = SelectorTestData.Rows(2000, 9, classCount: 5);
        var options = new HardExampleMiningOptions { Negatives = MiningBudget.Fraction(0.15), Loss = MiningLossKind.CrossEntropy };
        var plan = SelectorTestData.Plan(options, rows, classCount: 5);
        var expected = ReferenceSelector.Select(plan, rows);
        var actual = SelectorTestData.Stream(plan, rows, 3);
        CollectionAssert.AreEqual(expected.Positions, actual.Positions);
        for (var c = 0; c < 5; c++)
        {
            var classRows = rows.Count(r => r.Candidate.ClassIndex == c);
            Assert.AreEqual((long)Math.Round(0.15 * classRows, MidpointRounding.AwayFromZero), actual.Classes[c].Selected, $"class {c}");
        }
    }

    [TestMethod]
    public void ExactClassBoundsGiveTheSameSelectionAsRowCountBounds()
    {
        var rows = SelectorTestData.Rows(1200, 5);
        var options = new HardExampleMiningOptions { NoiseGuardFraction = 0.03 };
        var loose = SelectorTestData.Stream(SelectorTestData.Plan(options, rows), rows, 2);
        var tight = SelectorTestData.Stream(SelectorTestData.Plan(options, rows, exactBounds: true), rows, 2);
        CollectionAssert.AreEqual(loose.Positions, tight.Positions);
    }
}
