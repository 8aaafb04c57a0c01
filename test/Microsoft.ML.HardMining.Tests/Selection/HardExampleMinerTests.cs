using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Tests.Selection;

[TestClass]
public sealed class HardExampleMinerTests
{
    private readonly MLContext _ml = new(seed: 1);

    [TestMethod]
    public void MinesTheHighestLogLossNegativesFromADataView()
    {
        var rows = MinerTestRows.Make(5000, 1);
        var data = _ml.Data.LoadFromEnumerable(rows);
        var result = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { Negatives = MiningBudget.Count(300), RandomShare = 0 });

        // Brute force: log-loss of a negative rises with its score.
        var expectedNegatives = rows.Select((r, i) => (r, i)).Where(x => !x.r.Label)
            .OrderByDescending(x => ExampleLosses.LogLossFromScore(false, x.r.Score)).ThenBy(x => x.i).Take(300).Select(x => (long)x.i);
        var expectedPositives = rows.Select((r, i) => (r, i)).Where(x => x.r.Label).Select(x => (long)x.i);
        CollectionAssert.AreEqual(expectedNegatives.Concat(expectedPositives).Order().ToArray(), result.SelectedPositions.ToArray());
        Assert.AreEqual(rows.Count, result.Report.RowsScanned);
        Assert.AreEqual(300, result.Report.Classes[0].SelectedHard);
        Assert.AreEqual(rows.Count(r => r.Label), result.Report.Classes[1].Selected);
    }

    [TestMethod]
    public void ProbabilityColumnAndScoreColumnRankNegativesAlike()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(2000, 2));
        var byScore = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { RandomShare = 0 });
        var byProbability = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { RandomShare = 0, ProbabilityColumnName = "Probability" });
        CollectionAssert.AreEqual(byScore.SelectedPositions.ToArray(), byProbability.SelectedPositions.ToArray());
    }

    [TestMethod]
    public void ViewWithoutRowCountCountsClassesFirstAndAgrees()
    {
        var rows = MinerTestRows.Make(3000, 3);
        var data = _ml.Data.LoadFromEnumerable(rows);
        // A filter hides the row count, so fraction budgets need a counting pass.
        var filtered = _ml.Data.FilterRowsByColumn(data, "Score", lowerBound: -100, upperBound: 100);
        Assert.IsNull(filtered.GetRowCount());
        var a = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions());
        var b = HardExampleMiner.Mine(_ml, filtered, new HardExampleMiningOptions());
        CollectionAssert.AreEqual(a.SelectedPositions.ToArray(), b.SelectedPositions.ToArray());
    }

    [TestMethod]
    public void GroupedModeWithBoxesReportsPerGroup()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(2000, 4));
        var result = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions
        {
            GroupColumnName = "Image", BoxColumnName = "Box", MaxPerGroup = 6, Negatives = MiningBudget.All, RandomShare = 0,
        });
        Assert.IsNotNull(result.Report.SelectedPerGroup);
        Assert.HasCount(100, result.Report.SelectedPerGroup);
        Assert.IsTrue(result.Report.SelectedPerGroup.All(kv => kv.Value <= 6));
        Assert.IsGreaterThan(0, result.Report.SuppressedByNms);
        Assert.AreEqual(result.SelectedPositions.Count, result.Report.SelectedPerGroup.Sum(kv => kv.Value));
    }

    [TestMethod]
    public void ProgressIsReportedAndLogGetsOneSummaryLine()
    {
        var ml = new MLContext(seed: 1);
        var lines = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains("HardExampleMining") && e.Kind == Runtime.ChannelMessageKind.Info) lines.Add(e.Message); };
        var progress = new List<MiningProgress>();
        var options = new HardExampleMiningOptions { Progress = new SynchronousProgress<MiningProgress>(progress.Add) };
        HardExampleMiner.Mine(ml, ml.Data.LoadFromEnumerable(MinerTestRows.Make(1000, 5)), options);
        Assert.AreEqual(1000, progress[^1].RowsScanned);
        Assert.HasCount(1, lines);
        StringAssert.Contains(lines[0], "selected");
    }

    [TestMethod]
    public void NaNScoresThrowNamingTheRowOrAreSkippedAndCounted()
    {
        var rows = MinerTestRows.Make(500, 6);
        rows[17].Score = float.NaN;
        rows[40].Score = float.PositiveInfinity;
        var data = _ml.Data.LoadFromEnumerable(rows);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions()));
        StringAssert.Contains(error.Message, "Row 17");
        StringAssert.Contains(error.Message, "InvalidScorePolicy.Skip");

        var result = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { InvalidScores = InvalidScorePolicy.Skip });
        Assert.AreEqual(2, result.Report.RowsWithInvalidScore);
        CollectionAssert.DoesNotContain(result.SelectedPositions.ToArray(), 17L);
        CollectionAssert.DoesNotContain(result.SelectedPositions.ToArray(), 40L);
    }

    [TestMethod]
    public void MissingColumnListsTheColumnsThatExist()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(100, 7));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { ScoreColumnName = "Scroe" }));
        StringAssert.Contains(error.Message, "'Scroe'");
        StringAssert.Contains(error.Message, "ScoreColumnName");
        StringAssert.Contains(error.Message, "'Score'");
    }

    [TestMethod]
    public void WrongColumnTypesAreNamed()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(100, 8));
        var labelError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { LabelColumnName = "Box" }));
        StringAssert.Contains(labelError.Message, "'Box'");
        var scoreError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { ScoreColumnName = "Features" }));
        StringAssert.Contains(scoreError.Message, "'Features'");
        var keyError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { Loss = MiningLossKind.CrossEntropy }));
        StringAssert.Contains(keyError.Message, "MapValueToKey");
    }

    [TestMethod]
    public void EmptyViewAndSingleClassAreClearErrors()
    {
        var empty = _ml.Data.LoadFromEnumerable(new List<ScoredRow>());
        var emptyError = Assert.ThrowsExactly<ArgumentException>(() => HardExampleMiner.Mine(_ml, empty, new HardExampleMiningOptions()));
        StringAssert.Contains(emptyError.Message, "no rows");

        var negativesOnly = MinerTestRows.Make(200, 9).Select(r => { r.Label = false; return r; }).ToList();
        var data = _ml.Data.LoadFromEnumerable(negativesOnly);
        var single = Assert.ThrowsExactly<InvalidOperationException>(() => HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions()));
        StringAssert.Contains(single.Message, "only negatives");
        StringAssert.Contains(single.Message, "AllowSingleClass");
        var allowed = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { AllowSingleClass = true, Negatives = MiningBudget.Count(10) });
        Assert.HasCount(10, allowed.SelectedPositions);
    }

    [TestMethod]
    public void OutOfRangeOptionsNameTheOption()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(100, 10));
        void Expect(string option, HardExampleMiningOptions options)
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HardExampleMiner.Mine(_ml, data, options));
            StringAssert.Contains(e.Message, option);
        }
        Expect(nameof(HardExampleMiningOptions.RandomShare), new HardExampleMiningOptions { RandomShare = 1.5 });
        Expect(nameof(HardExampleMiningOptions.NegativesPerPositive), new HardExampleMiningOptions { NegativesPerPositive = -1 });
        Expect(nameof(HardExampleMiningOptions.NoiseGuardFraction), new HardExampleMiningOptions { NoiseGuardFraction = 1 });
        Expect(nameof(HardExampleMiningOptions.BoxColumnName), new HardExampleMiningOptions { BoxColumnName = "Box" });
        Expect(nameof(HardExampleMiningOptions.NmsIouThreshold), new HardExampleMiningOptions { GroupColumnName = "Image", NmsIouThreshold = 0 });
        Expect(nameof(HardExampleMiningOptions.GroupColumnName), new HardExampleMiningOptions { MaxPerGroup = 3 });
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MiningBudget.Fraction(1.2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MiningBudget.Count(-1));
    }

    [TestMethod]
    public void SourceDataIsNotModified()
    {
        var rows = MinerTestRows.Make(300, 11);
        var before = rows.Select(r => (r.Label, r.Score, r.Features.ToArray())).ToList();
        var data = _ml.Data.LoadFromEnumerable(rows);
        var result = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { Output = MiningOutputMode.Weight });
        _ = result.CreateView(data).Preview(maxRows: 1000);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.AreEqual(before[i].Label, rows[i].Label);
            Assert.AreEqual(before[i].Score, rows[i].Score);
            CollectionAssert.AreEqual(before[i].Item3, rows[i].Features);
        }
    }

    [TestMethod]
    public void StochasticModeIsReproducibleAndMakesTwoPasses()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(3000, 12));
        var options = new HardExampleMiningOptions { Mode = SelectionMode.Stochastic, Seed = 4 };
        var a = HardExampleMiner.Mine(_ml, data, options);
        var b = HardExampleMiner.Mine(new MLContext(seed: 99), data, options);
        CollectionAssert.AreEqual(a.SelectedPositions.ToArray(), b.SelectedPositions.ToArray());
        Assert.AreEqual(2, a.Report.Passes);
    }

    [TestMethod]
    public void MulticlassCrossEntropyFromAKeyLabel()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 900).Select(i =>
        {
            var label = (uint)(i % 3);
            var probabilities = new float[3];
            var total = 0f;
            for (var k = 0; k < 3; k++) { probabilities[k] = (float)random.NextDouble() + (k == label ? 1 : 0); total += probabilities[k]; }
            for (var k = 0; k < 3; k++) probabilities[k] /= total;
            // LoadFromEnumerable stores a key column's value zero-based and exposes it one-based.
            return new MulticlassRow { Label = label, Score = probabilities };
        }).ToList();
        var data = _ml.Data.LoadFromEnumerable(rows, SchemaDefinition.Create(typeof(MulticlassRow)).WithKeyLabel(3));
        var result = HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { Loss = MiningLossKind.CrossEntropy, Negatives = MiningBudget.Count(10), RandomShare = 0 });
        Assert.HasCount(3, result.Report.Classes, result.Report.ToString() + " classes " + string.Join(",", result.ClassIndexes));
        Assert.AreEqual(30, result.SelectedPositions.Count, result.Report.ToString() + " classes " + string.Join(",", result.ClassIndexes));
        for (var c = 0; c < 3; c++)
        {
            var expected = rows.Select((r, i) => (r, i)).Where(x => x.r.Label == c)
                .OrderByDescending(x => -Math.Log(x.r.Score[c])).ThenBy(x => x.i).Take(10).Select(x => (long)x.i).ToHashSet();
            var actual = result.SelectedPositions.Where((_, j) => result.ClassIndexes[j] == c).ToHashSet();
            Assert.IsTrue(expected.SetEquals(actual), $"class {c}: expected {string.Join(",", expected.Order())} got {string.Join(",", actual.Order())}");
        }
    }

    internal sealed class MulticlassRow
    {
        public uint Label { get; set; }
        [VectorType(3)] public float[] Score { get; set; } = [];
    }
}

internal static class SchemaDefinitionExtensions
{
    public static SchemaDefinition WithKeyLabel(this SchemaDefinition definition, ulong count)
    {
        definition["Label"].ColumnType = new KeyDataViewType(typeof(uint), count);
        return definition;
    }
}

internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
