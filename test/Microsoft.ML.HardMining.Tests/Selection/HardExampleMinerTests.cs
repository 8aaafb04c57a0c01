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
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MiningBudget.Count(-1)).Message, "MiningBudget.None");
    }

    [TestMethod]
    public void OptionsThatWouldMineSilentlyWrongNameTheOption()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(100, 10));
        void Expect(string option, HardExampleMiningOptions options, string advice)
        {
            // At construction, as ML.NET estimators check their options, and again when mining directly.
            var atConstruction = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.Transforms.HardExampleMining(options), option);
            var atMining = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HardExampleMiner.Mine(_ml, data, options), option);
            foreach (var e in new[] { atConstruction, atMining })
            {
                Assert.AreEqual(option, e.ParamName);
                StringAssert.Contains(e.Message, advice, option);
            }
        }
        // Cast integers used to fall through to some member's behaviour: 99 mined as focal loss, 9 skipped NaN scores.
        Expect(nameof(HardExampleMiningOptions.Loss), new HardExampleMiningOptions { Loss = (MiningLossKind)99 }, "LogLoss");
        Expect(nameof(HardExampleMiningOptions.Mode), new HardExampleMiningOptions { Mode = (SelectionMode)9 }, "Stochastic");
        Expect(nameof(HardExampleMiningOptions.Output), new HardExampleMiningOptions { Output = (MiningOutputMode)9 }, "Weight");
        Expect(nameof(HardExampleMiningOptions.InvalidScores), new HardExampleMiningOptions { InvalidScores = (InvalidScorePolicy)9 }, "Skip");
        // Infinite parameters made every loss infinite (hinge) or 0 (focal), so "hardest" meant "first".
        Expect(nameof(HardExampleMiningOptions.HingeMargin), new HardExampleMiningOptions { Loss = MiningLossKind.Hinge, HingeMargin = double.PositiveInfinity }, "finite");
        Expect(nameof(HardExampleMiningOptions.FocalGamma), new HardExampleMiningOptions { Loss = MiningLossKind.Focal, FocalGamma = double.PositiveInfinity }, "finite");
        Expect(nameof(HardExampleMiningOptions.FocalAlpha), new HardExampleMiningOptions { FocalAlpha = 2 }, "[0, 1]");
        // A weight column named like the label replaced the label in the mined view; the trainer then blamed its own label.
        Expect(nameof(HardExampleMiningOptions.WeightColumnName), new HardExampleMiningOptions { Output = MiningOutputMode.Weight, WeightColumnName = "Label" }, "'Label'");
        Expect(nameof(HardExampleMiningOptions.WeightColumnName), new HardExampleMiningOptions { Output = MiningOutputMode.Weight, WeightColumnName = "Score" }, "'Score'");
        // Nothing to select: the trainer used to fail on an empty view.
        Expect(nameof(HardExampleMiningOptions.Negatives), new HardExampleMiningOptions { Negatives = MiningBudget.None, Positives = MiningBudget.Count(0) }, "nothing would be selected");
        Expect(nameof(HardExampleMiningOptions.Negatives), new HardExampleMiningOptions { Negatives = MiningBudget.Fraction(0), Positives = MiningBudget.None }, "nothing would be selected");

        // What stays allowed: a weight column named like a column the miner does not read, and one class with no budget.
        Assert.AreEqual(MiningOutputMode.Weight, _ml.Transforms.HardExampleMining(new HardExampleMiningOptions { Output = MiningOutputMode.Weight, WeightColumnName = "Image" }).Options.Output);
        Assert.IsGreaterThan(0, HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { Positives = MiningBudget.None }).SelectedPositions.Count);
    }

    [TestMethod]
    public void AScorerThatDropsRowsIsRejectedAtMiningNotWhenTheTrainerReads()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(400, 13));
        // A transformer, not a model: it keeps only rows with a score under 1, so the positions would index other rows.
        var filteringScorer = new FilteringScorer(_ml);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            HardExampleMiner.Mine(_ml, data, new HardExampleMiningOptions { Scorer = filteringScorer }));
        StringAssert.Contains(error.Message, "Scorer");
        StringAssert.Contains(error.Message, "one to one");
        StringAssert.Contains(error.Message, "400");
    }

    [TestMethod]
    public void AViewWithoutRowCountAndNoRowsGetsTheEmptyViewError()
    {
        var data = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(200, 14));
        var none = _ml.Data.FilterRowsByColumn(data, "Score", 1000, 2000);
        Assert.IsNull(none.GetRowCount(), "a filter does not know its row count");
        var error = Assert.ThrowsExactly<ArgumentException>(() => HardExampleMiner.Mine(_ml, none, new HardExampleMiningOptions { Negatives = MiningBudget.Count(5) }));
        StringAssert.Contains(error.Message, "no rows");
    }

    [TestMethod]
    public void SkippedRowsAreAWarningInTheLog()
    {
        var ml = new MLContext(seed: 1);
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Source.Contains("HardExampleMining") && e.Kind == Runtime.ChannelMessageKind.Warning) warnings.Add(e.Message); };
        var rows = MinerTestRows.Make(300, 15);
        var data = ml.Data.LoadFromEnumerable(rows);
        HardExampleMiner.Mine(ml, data, new HardExampleMiningOptions { InvalidScores = InvalidScorePolicy.Skip });
        Assert.IsEmpty(warnings, "no row was skipped");
        rows[3].Score = float.NaN;
        rows[9].Score = float.NegativeInfinity;
        HardExampleMiner.Mine(ml, ml.Data.LoadFromEnumerable(rows), new HardExampleMiningOptions { InvalidScores = InvalidScorePolicy.Skip });
        Assert.HasCount(1, warnings);
        StringAssert.Contains(warnings[0], "2 rows with a NaN or infinite score");
    }

    private sealed class FilteringScorer(MLContext ml) : ITransformer
    {
        public bool IsRowToRowMapper => false;
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();
        public IDataView Transform(IDataView input) => ml.Data.FilterRowsByColumn(input, "Score", -100, 1);
        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException();
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

    [TestMethod]
    public void AMulticlassBudgetOfNoRowIsAnError()
    {
        var rows = Enumerable.Range(0, 30).Select(i => new MulticlassRow { Label = (uint)(i % 3), Score = [0.2f, 0.3f, 0.5f] }).ToList();
        var data = _ml.Data.LoadFromEnumerable(rows, SchemaDefinition.Create(typeof(MulticlassRow)).WithKeyLabel(3));
        // Positives does not apply to a key label: Negatives is every class's budget, and None leaves nothing to select.
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HardExampleMiner.Mine(_ml, data,
            new HardExampleMiningOptions { Loss = MiningLossKind.CrossEntropy, Negatives = MiningBudget.None }));
        Assert.AreEqual(nameof(HardExampleMiningOptions.Negatives), error.ParamName);
        StringAssert.Contains(error.Message, "every class");

        // The binary-only options used to be ignored without a word under a key label.
        var ratio = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HardExampleMiner.Mine(_ml, data,
            new HardExampleMiningOptions { Loss = MiningLossKind.CrossEntropy, NegativesPerPositive = 3 }));
        Assert.AreEqual(nameof(HardExampleMiningOptions.NegativesPerPositive), ratio.ParamName);
        StringAssert.Contains(ratio.Message, "binary label");
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
