using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>
/// The gated scan (HardExampleMiner.Scan.SpeedOpt.cs) against the plain per-row scan it replaces for Boolean labels and
/// Single scores or probabilities, and against a brute-force sort: same rows, kinds, weights, ids and report, for every
/// option it handles.
/// </summary>
[TestClass]
public sealed class GatedScanTests
{
    private sealed class Row
    {
        public bool Label { get; set; }
        public float Score { get; set; }
    }

    private sealed class ProbabilityRow
    {
        public bool Label { get; set; }
        public float Probability { get; set; }
    }

    private sealed class LossRow
    {
        public bool Label { get; set; }
        public float Loss { get; set; }
    }

    private readonly MLContext _ml = new(seed: 1);

    // Enough rows that the heaps fill and the gates close; some ties, some invalid scores; 20% positives.
    private static List<Row> Rows(int count, int seed, bool invalid)
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        for (var i = 0; i < count; i++)
        {
            var label = random.NextDouble() < 0.2;
            var score = (label ? 1f : -1f) + (float)(random.NextDouble() * 4 - 2);
            if (i % 97 == 0) score = MathF.Round(score, 1);
            // Exact zeros of both signs: a zero bar must treat them alike, whatever their sign.
            if (i % 211 == 7) score = i % 2 == 0 ? 0f : float.NegativeZero;
            if (invalid && i % 1013 == 5) score = (i / 1013 % 4) switch { 0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, _ => BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00000)) };
            rows.Add(new Row { Label = label, Score = score });
        }
        return rows;
    }

    // Probabilities of the positive class, with the values where 1 − p rounds or saturates (0, 1, 1e-30, the smallest
    // Single, the largest Single below 1, −0), ties, and invalid values (NaN, below 0, above 1, +∞).
    private static List<ProbabilityRow> ProbabilityRows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<ProbabilityRow>(count);
        for (var i = 0; i < count; i++)
        {
            var label = random.NextDouble() < 0.2;
            var p = (float)(1 / (1 + Math.Exp(-((label ? 1 : -1) + random.NextDouble() * 4 - 2))));
            if (i % 97 == 0) p = MathF.Round(p, 2);
            p = (i % 53) switch { 7 => 0f, 8 => 1f, 9 => 1e-30f, 10 => float.Epsilon, 11 => MathF.BitDecrement(1f), 12 => -0f, 13 => 1e-9f, _ => p };
            if (i % 1013 == 5) p = (i / 1013 % 4) switch { 0 => float.NaN, 1 => -0.1f, 2 => 1.5f, _ => float.PositiveInfinity };
            rows.Add(new ProbabilityRow { Label = label, Probability = p });
        }
        return rows;
    }

    // Precomputed losses: positives' run higher, as a user's column might; ties, zeros of both signs, a few negative values
    // (a user's loss may be any finite number), and invalid values.
    private static List<LossRow> LossRows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<LossRow>(count);
        for (var i = 0; i < count; i++)
        {
            var label = random.NextDouble() < 0.2;
            var loss = (float)(-Math.Log(random.NextDouble()) * (label ? 1.5 : 1));
            if (i % 97 == 0) loss = MathF.Round(loss, 1);
            loss = (i % 211) switch { 7 => 0f, 8 => -0f, 9 => -0.5f, _ => loss };
            if (i % 1013 == 5) loss = (i / 1013 % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
            rows.Add(new LossRow { Label = label, Loss = loss });
        }
        return rows;
    }

    public static IEnumerable<object[]> OptionSets()
    {
        yield return ["defaults", new HardExampleMiningOptions()];
        yield return ["counts, random 0.25", new HardExampleMiningOptions { Negatives = MiningBudget.Count(900), Positives = MiningBudget.Count(100), RandomShare = 0.25 }];
        yield return ["no random share", new HardExampleMiningOptions { Negatives = MiningBudget.Count(500), Positives = MiningBudget.Count(50), RandomShare = 0 }];
        yield return ["random only", new HardExampleMiningOptions { Negatives = MiningBudget.Count(700), RandomShare = 1, Seed = 9 }];
        yield return ["noise guard", new HardExampleMiningOptions { Negatives = MiningBudget.Fraction(0.05), NoiseGuardFraction = 0.01 }];
        yield return ["no positives", new HardExampleMiningOptions { Negatives = MiningBudget.Count(400), Positives = MiningBudget.None, RandomShare = 0.5 }];
        yield return ["ratio 3", new HardExampleMiningOptions { Negatives = MiningBudget.All, Positives = MiningBudget.Count(200), NegativesPerPositive = 3 }];
        yield return ["hinge, weights", new HardExampleMiningOptions { Loss = MiningLossKind.Hinge, Negatives = MiningBudget.Count(600), Output = MiningOutputMode.Weight }];
        yield return ["all rows", new HardExampleMiningOptions { Negatives = MiningBudget.All, Positives = MiningBudget.All, RandomShare = 0.1 }];
    }

    [TestMethod]
    [DynamicData(nameof(OptionSets))]
    public void GatedScanEqualsThePlainScan(string name, HardExampleMiningOptions options)
    {
        foreach (var (rows, seed) in new[] { (30_000, 1), (2_500, 2), (70_000, 3) })
            AssertGatedEqualsPlain(name, options, rows, seed);
    }

    [TestMethod]
    [DynamicData(nameof(OptionSets))]
    public void GatedScanOverAProbabilityColumnEqualsThePlainScan(string name, HardExampleMiningOptions options)
    {
        // A fresh copy: the score test gets the same instances.
        options = (HardExampleMiningOptions)OptionSets().Single(o => (string)o[0] == name)[1];
        if (options.Loss == MiningLossKind.Hinge) options.Loss = MiningLossKind.Squared;
        options.ProbabilityColumnName = nameof(ProbabilityRow.Probability);
        foreach (var (rows, seed) in new[] { (30_000, 1), (2_500, 2), (70_000, 3) })
            AssertGatedEqualsPlain($"{name}, {options.Loss} on a probability", options, _ml.Data.LoadFromEnumerable(ProbabilityRows(rows, seed)));
    }

    [TestMethod]
    [DynamicData(nameof(OptionSets))]
    public void GatedScanOverAPrecomputedLossColumnEqualsThePlainScan(string name, HardExampleMiningOptions options)
    {
        // A fresh copy: the score test gets the same instances.
        options = (HardExampleMiningOptions)OptionSets().Single(o => (string)o[0] == name)[1];
        options.Loss = MiningLossKind.Column;
        options.LossColumnName = nameof(LossRow.Loss);
        foreach (var (rows, seed) in new[] { (30_000, 1), (2_500, 2), (70_000, 3) })
            AssertGatedEqualsPlain($"{name}, a loss column", options, _ml.Data.LoadFromEnumerable(LossRows(rows, seed)));
    }

    [TestMethod]
    public void GatedScanEqualsThePlainScanOnAViewSampledAtMostEvery16thRow()
    {
        // Over 2^18 rows the histogram samples every 16th row or less often: once the random shares are full, the loop's
        // stops are far apart, and some looks ahead end at their block limit with no row to stop at.
        const int rows = 300_000;
        foreach (var (name, options) in OptionSets().Select(o => ((string)o[0], (HardExampleMiningOptions)o[1])).Where(o => o.Item1 is "counts, random 0.25" or "noise guard"))
        {
            var gated = AssertGatedEqualsPlain(name, options, rows, seed: 6);
            var sampled = gated.Report.Classes.Sum(c => c.Losses.Count);
            Assert.IsLessThan(rows / 15, sampled, $"{name}: the histogram samples at most every 16th row");
        }
    }

    private MiningResult AssertGatedEqualsPlain(string name, HardExampleMiningOptions options, int rows, int seed) =>
        AssertGatedEqualsPlain(name, options, _ml.Data.LoadFromEnumerable(Rows(rows, seed, invalid: true)));

    private MiningResult AssertGatedEqualsPlain(string context, HardExampleMiningOptions options, IDataView data)
    {
        options.InvalidScores = InvalidScorePolicy.Skip;
        Assert.IsTrue(GatesApply(data, options), $"{context}: the gated scan must be the one under test");

        var gated = HardExampleMiner.Mine(_ml, data, options, useGates: true);
        var plain = HardExampleMiner.Mine(_ml, data, options, useGates: false);
        context += $", {data.GetRowCount()} rows";
        CollectionAssert.AreEqual(plain.SelectedPositions.ToArray(), gated.SelectedPositions.ToArray(), $"{context}: positions");
        CollectionAssert.AreEqual(plain.Kinds.ToArray(), gated.Kinds.ToArray(), $"{context}: kinds");
        CollectionAssert.AreEqual(plain.Weights.ToArray(), gated.Weights.ToArray(), $"{context}: weights");
        CollectionAssert.AreEqual(plain.RowIds.ToArray(), gated.RowIds.ToArray(), $"{context}: row ids");
        Assert.AreEqual(plain.Report.RowsScanned, gated.Report.RowsScanned, $"{context}: rows");
        Assert.AreEqual(plain.Report.RowsWithInvalidScore, gated.Report.RowsWithInvalidScore, $"{context}: invalid");
        Assert.IsGreaterThan(0, gated.Report.RowsWithInvalidScore, $"{context}: the data has invalid scores");
        for (var c = 0; c < 2; c++)
        {
            var (p, g) = (plain.Report.Classes[c], gated.Report.Classes[c]);
            Assert.AreEqual(p.Rows, g.Rows, $"{context}: class {c} rows");
            Assert.AreEqual(p.SelectedHard, g.SelectedHard, $"{context}: class {c} hard");
            Assert.AreEqual(p.SelectedRandom, g.SelectedRandom, $"{context}: class {c} random");
            CollectionAssert.AreEqual(p.Losses.Counts.ToArray(), g.Losses.Counts.ToArray(), $"{context}: class {c} histogram");
            Assert.AreEqual(p.Losses.Mean, g.Losses.Mean, 1e-12, $"{context}: class {c} mean loss");
        }
        return gated;
    }

    [TestMethod]
    public void GatedScanKeepsTheTopScoringNegativesOfABruteForceSort()
    {
        var rows = Rows(50_000, 4, invalid: false);
        var data = _ml.Data.LoadFromEnumerable(rows);
        var options = new HardExampleMiningOptions { Negatives = MiningBudget.Count(1_000), Positives = MiningBudget.None, RandomShare = 0 };
        Assert.IsTrue(GatesApply(data, options));
        var result = HardExampleMiner.Mine(_ml, data, options);
        var expected = rows.Select((r, i) => (r, i)).Where(x => !x.r.Label)
            .OrderByDescending(x => x.r.Score).ThenBy(x => x.i).Take(1_000).Select(x => (long)x.i).Order().ToArray();
        CollectionAssert.AreEqual(expected, result.SelectedPositions.ToArray());
    }

    [TestMethod]
    public void GatedScanThrowsOnAnInvalidScoreNamingTheRow()
    {
        var rows = Rows(5_000, 5, invalid: false);
        rows[3_210].Score = float.NaN;
        var data = _ml.Data.LoadFromEnumerable(rows);
        var options = new HardExampleMiningOptions();
        Assert.IsTrue(GatesApply(data, options));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => HardExampleMiner.Mine(_ml, data, options));
        StringAssert.Contains(error.Message, "Row 3210");
        StringAssert.Contains(error.Message, "InvalidScorePolicy.Skip");
    }

    [TestMethod]
    public void GatedScanThrowsOnAProbabilityOutsideZeroToOneNamingTheRowAndColumn()
    {
        var rows = ProbabilityRows(5_000, 5).Select(r => { r.Probability = float.IsNaN(r.Probability) || r.Probability is < 0 or > 1 ? 0.5f : r.Probability; return r; }).ToList();
        rows[4_321].Probability = 1.25f;
        var data = _ml.Data.LoadFromEnumerable(rows);
        var options = new HardExampleMiningOptions { ProbabilityColumnName = nameof(ProbabilityRow.Probability) };
        Assert.IsTrue(GatesApply(data, options));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => HardExampleMiner.Mine(_ml, data, options));
        StringAssert.Contains(error.Message, "Row 4321");
        StringAssert.Contains(error.Message, "'Probability'");
        StringAssert.Contains(error.Message, "outside [0, 1]");
    }

    [TestMethod]
    public void GatedScanReportsTheSameProgressAsThePlainScan()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(200_000, 6, invalid: false));
        List<long> Reports(bool useGates)
        {
            var seen = new List<long>();
            var options = new HardExampleMiningOptions { Progress = new SynchronousProgress(p => seen.Add(p.RowsScanned)) };
            HardExampleMiner.Mine(_ml, data, options, useGates);
            return seen;
        }
        var gated = Reports(true);
        CollectionAssert.AreEqual(Reports(false), gated);
        Assert.IsGreaterThanOrEqualTo(3, gated.Count);
    }

    [TestMethod]
    public void StochasticModeMaximumLossAndOtherLossesTakeThePlainScan()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(100, 7, invalid: false));
        Assert.IsFalse(GatesApply(data, new HardExampleMiningOptions { Mode = SelectionMode.Stochastic }));
        Assert.IsFalse(GatesApply(data, new HardExampleMiningOptions { MaxLoss = 3 }));
        Assert.IsFalse(GatesApply(data, new HardExampleMiningOptions { Loss = MiningLossKind.Squared }));
        var probabilities = _ml.Data.LoadFromEnumerable(ProbabilityRows(100, 7));
        Assert.IsFalse(GatesApply(probabilities, new HardExampleMiningOptions { ProbabilityColumnName = "Probability", Loss = MiningLossKind.Focal }));
        Assert.IsTrue(GatesApply(probabilities, new HardExampleMiningOptions { ProbabilityColumnName = "Probability" }));
        Assert.IsTrue(GatesApply(_ml.Data.LoadFromEnumerable(LossRows(100, 7)), new HardExampleMiningOptions { Loss = MiningLossKind.Column, LossColumnName = "Loss" }));
    }

    private static bool GatesApply(IDataView data, HardExampleMiningOptions options)
    {
        var reader = new LossReader(data.Schema, options);
        var rows = data.GetRowCount()!.Value;
        var percentiles = options.Mode == SelectionMode.Stochastic ? new[] { new LossHistogram(), new LossHistogram() } : null;
        var plan = new SelectionPlan(options, reader.ClassCount, reader.IsBinary, [rows, rows], percentiles);
        return HardExampleMiner.GatesApply(reader, plan);
    }

    private sealed class SynchronousProgress(Action<MiningProgress> report) : IProgress<MiningProgress>
    {
        public void Report(MiningProgress value) => report(value);
    }
}
