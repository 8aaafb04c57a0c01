using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>
/// The report's loss histograms on large views: a view that does not know its row count (a text loader, a LINQ query) samples
/// the same rows as one that does, whichever scan runs, and the deferred losses are computed once, whoever reads them first.
/// </summary>
[TestClass]
public sealed class HistogramSamplingTests
{
    private sealed class Row
    {
        public bool Label { get; set; }
        public float Score { get; set; }
    }

    private readonly MLContext _ml = new(seed: 1);

    private static List<Row> Rows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        for (var i = 0; i < count; i++)
        {
            var label = random.NextDouble() < 0.2;
            var score = (label ? 1f : -1f) + (float)(random.NextDouble() * 4 - 2);
            if (i % 1013 == 5) score = float.NaN;
            rows.Add(new Row { Label = label, Score = score });
        }
        return rows;
    }

    [TestMethod]
    // Around the sizes where the stride doubles: 32,768 rows sample every row, 32,769 every 2nd; 131,075 every 4th,
    // 131,076 every 8th; 300,000 every 16th (the loop's large-view regime when the count is known).
    [DataRow(2_500)]
    [DataRow(32_768)]
    [DataRow(32_769)]
    [DataRow(131_075)]
    [DataRow(131_076)]
    [DataRow(300_000)]
    public void AViewWithoutARowCountSamplesTheRowsOfAViewWithOne(int rows)
    {
        var data = Rows(rows, seed: rows);
        var known = _ml.Data.LoadFromEnumerable(data);
        var unknown = new WithoutRowCount(known);
        Assert.AreEqual(rows, known.GetRowCount());
        var options = new HardExampleMiningOptions
        {
            Negatives = MiningBudget.Count(900), Positives = MiningBudget.Count(100), RandomShare = 0.25, InvalidScores = InvalidScorePolicy.Skip,
        };

        var expected = HardExampleMiner.Mine(_ml, known, options, useGates: false);
        // The documented rule: the least power of two that leaves at most 32,768 rows per stride.
        var stride = 1;
        while (rows / stride > 32_768) stride *= 2;
        var validRowsAtStride = Enumerable.Range(0, rows).Count(i => i % stride == 0 && !float.IsNaN(data[i].Score));
        Assert.AreEqual(validRowsAtStride, expected.Report.Classes.Sum(c => c.Losses.Count), $"{rows} rows: the known-count view samples every {stride}th row");

        foreach (var useGates in new[] { false, true })
        {
            var actual = HardExampleMiner.Mine(_ml, unknown, options, useGates);
            var context = $"{rows} rows, gates {useGates}";
            CollectionAssert.AreEqual(expected.SelectedPositions.ToArray(), actual.SelectedPositions.ToArray(), $"{context}: the selection");
            for (var c = 0; c < 2; c++)
            {
                var (e, a) = (expected.Report.Classes[c].Losses, actual.Report.Classes[c].Losses);
                CollectionAssert.AreEqual(e.Counts.ToArray(), a.Counts.ToArray(), $"{context}: class {c} histogram");
                Assert.AreEqual(e.Mean, a.Mean, $"{context}: class {c} mean, same losses in the same order");
                Assert.AreEqual(e.Min, a.Min, $"{context}: class {c} min");
                Assert.AreEqual(e.Max, a.Max, $"{context}: class {c} max");
            }
        }
    }

    [TestMethod]
    public void AMulticlassViewWithoutARowCountSamplesTheRowsOfAViewWithOne()
    {
        // The plain scan, three classes sharing one stride by position: 40,000 rows end at every 2nd row.
        var random = new Random(12);
        var rows = Enumerable.Range(0, 40_000).Select(i =>
        {
            var label = (uint)random.Next(3);
            var scores = new float[3];
            for (var k = 0; k < 3; k++) scores[k] = (float)random.NextDouble() + (k == label ? 0.5f : 0);
            var total = scores.Sum();
            return new HardExampleMinerTests.MulticlassRow { Label = label, Score = scores.Select(x => x / total).ToArray() };
        }).ToList();
        var known = _ml.Data.LoadFromEnumerable(rows, SchemaDefinition.Create(typeof(HardExampleMinerTests.MulticlassRow)).WithKeyLabel(3));
        Assert.AreEqual(rows.Count, known.GetRowCount());
        var options = new HardExampleMiningOptions { Loss = MiningLossKind.CrossEntropy, Negatives = MiningBudget.Count(50) };
        var expected = HardExampleMiner.Mine(_ml, known, options);
        var actual = HardExampleMiner.Mine(_ml, new WithoutRowCount(known), options);
        CollectionAssert.AreEqual(expected.SelectedPositions.ToArray(), actual.SelectedPositions.ToArray(), "the selection");
        Assert.AreEqual(rows.Count / 2, expected.Report.Classes.Sum(c => c.Losses.Count), "every 2nd row of 40,000");
        for (var c = 0; c < 3; c++)
        {
            var (e, a) = (expected.Report.Classes[c].Losses, actual.Report.Classes[c].Losses);
            CollectionAssert.AreEqual(e.Counts.ToArray(), a.Counts.ToArray(), $"class {c} histogram");
            Assert.AreEqual(e.Mean, a.Mean, $"class {c} mean");
        }
    }

    [TestMethod]
    public void TheDeferredLossesAreComputedOnceWhoeverReadsFirst()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(200_000, seed: 3));
        var options = new HardExampleMiningOptions { InvalidScores = InvalidScorePolicy.Skip };
        var expected = HardExampleMiner.Mine(_ml, data, options).Report.Classes.Select(c => (c.Losses.Count, c.Losses.Mean)).ToArray();

        var report = HardExampleMiner.Mine(_ml, data, options).Report;
        var seen = new (long Count, double Mean)[16];
        Parallel.For(0, seen.Length, i =>
        {
            var losses = report.Classes[i % 2].Losses;
            seen[i] = (losses.Count, losses.Mean);
        });
        for (var i = 0; i < seen.Length; i++) Assert.AreEqual(expected[i % 2], seen[i], $"reader {i}");
        Assert.AreSame(report.Classes[0].Losses, report.Classes[0].Losses, "computed once, then the same histogram");
    }

    [TestMethod]
    public void MergedPartitionsWithGrowingStridesSampleLikeTheReference()
    {
        var rows = SelectorTestData.Rows(100_000, seed: 8);
        var options = new HardExampleMiningOptions { Negatives = MiningBudget.Count(500), Positives = MiningBudget.Count(50) };
        var plan = new SelectionPlan(options, 2, true, [long.MaxValue, long.MaxValue], histogramStride: SelectionPlan.GrowingHistogramStride);
        var reference = ReferenceSelector.Select(plan, rows);

        // Contiguous partitions: the first one's stride stops growing at 40,000 rows, the others' go on.
        var selectors = Enumerable.Range(0, 3).Select(_ => new HardExampleSelector(plan)).ToArray();
        foreach (var (candidate, group) in rows) selectors[Math.Min(2, (int)(candidate.Position / 40_000))].Add(candidate, group);
        for (var i = 1; i < selectors.Length; i++) selectors[0].Merge(selectors[i]);
        selectors[0].EndOfRows(rows.Count);
        var merged = selectors[0].Complete();

        CollectionAssert.AreEqual(reference.Positions.ToArray(), merged.Positions.ToArray(), "the selection");
        for (var c = 0; c < 2; c++)
        {
            var (e, a) = (reference.Classes[c].Losses, merged.Classes[c].Losses);
            Assert.IsGreaterThan(0, e.Count);
            CollectionAssert.AreEqual(e.Counts.ToArray(), a.Counts.ToArray(), $"class {c}: every 4th row, as 100,000 rows of known size");
            Assert.AreEqual(e.Mean, a.Mean, 1e-12, $"class {c}: mean");
        }
    }

    private sealed class WithoutRowCount(IDataView inner) : IDataView
    {
        public bool CanShuffle => inner.CanShuffle;
        public DataViewSchema Schema => inner.Schema;
        public long? GetRowCount() => null;
        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => inner.GetRowCursor(columnsNeeded, rand);
        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => inner.GetRowCursorSet(columnsNeeded, n, rand);
    }
}
