using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Diagnostics;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining;

/// <summary>
/// Scans a data view once (twice in stochastic mode), computes each row's loss and keeps the hardest rows of each class
/// under the budgets, in memory bounded by the budgets rather than the rows.
/// </summary>
/// <remarks>
/// Positions in the result refer to the order in which <c>data</c> enumerates its rows. The selection depends only on the rows,
/// the options and the seed: ties are broken by position and random draws are hashes of (seed, position).
/// </remarks>
public static partial class HardExampleMiner
{
    private const string LogSource = "HardExampleMining";
    private const int ProgressEvery = 1 << 16;

    /// <summary>Mines <paramref name="data"/>.</summary>
    /// <param name="mlContext">The context whose log receives one summary line.</param>
    /// <param name="data">The rows to mine; never modified.</param>
    /// <param name="options">The options; validated first.</param>
    /// <returns>The selected positions, their kinds and weights, and a report.</returns>
    /// <example>
    /// <code>
    /// var result = HardExampleMiner.Mine(mlContext, model.Transform(trainData), new HardExampleMiningOptions { Negatives = MiningBudget.Count(1000) });
    /// IDataView hard = result.CreateView(trainData);
    /// </code>
    /// </example>
    public static MiningResult Mine(MLContext mlContext, IDataView data, HardExampleMiningOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return Mine((IHostEnvironment)mlContext, data, options);
    }

    /// <param name="environment">The environment whose log receives the summary.</param>
    /// <param name="data">The rows to mine.</param>
    /// <param name="options">The options.</param>
    /// <param name="useGates">False forces the plain per-row scan, which tests hold the fast path against.</param>
    internal static MiningResult Mine(IHostEnvironment environment, IDataView data, HardExampleMiningOptions options, bool useGates = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        if (data.GetRowCount() == 0)
            throw new ArgumentException("The data view has no rows: there is nothing to mine. Check the loader's path and filters.", nameof(data));

        var scored = Score(data, options);
        var reader = new LossReader(scored.Schema, options);
        if (!reader.IsBinary && options.Negatives.AllowsNoRow)
            throw new ArgumentOutOfRangeException(nameof(options.Negatives),
                "HardExampleMiningOptions.Negatives is the budget of every class of a multiclass label, and it allows no row: nothing would be selected. Give it a count or a fraction.");
        // Negatives and positives are a binary label's classes: with a key label these options had no effect, silently.
        if (!reader.IsBinary && (options.NegativesPerPositive > 0 || options.MinNegativesPerGroup > 0))
            throw new ArgumentOutOfRangeException(options.NegativesPerPositive > 0 ? nameof(options.NegativesPerPositive) : nameof(options.MinNegativesPerGroup),
                $"HardExampleMiningOptions.{(options.NegativesPerPositive > 0 ? nameof(options.NegativesPerPositive) : nameof(options.MinNegativesPerGroup))} applies to a binary label's negatives and positives; " +
                "a multiclass (key) label has neither. Leave it at 0, and bound each class with Negatives (and groups with MaxPerGroup).");
        var rowCount = data.GetRowCount();
        var passCount = options.Mode == SelectionMode.Stochastic ? 2 : 1;

        long[] bounds;
        LossHistogram[]? reference = null;
        if (options.Mode == SelectionMode.Stochastic)
        {
            var first = Scan(scored, reader, options, HistogramOnlyPlan(options, reader), pass: 1, passCount, useGates);
            reference = Enumerable.Range(0, reader.ClassCount).Select(first.Selector.HistogramOf).ToArray();
            bounds = reference.Select(h => h.Count).ToArray();
        }
        else if (rowCount is { } n)
            bounds = Enumerable.Repeat(n, reader.ClassCount).ToArray();
        else if (!CapacityDependsOnRows(options))
            bounds = Enumerable.Repeat(long.MaxValue, reader.ClassCount).ToArray();
        else
            bounds = CountClasses(data, reader);

        // Top-k needs no loss per row, so on large views the report's histogram samples: every row up to 2^15 rows, then a
        // power-of-two stride that keeps 16,384 to 32,768 samples, shared by the classes (for a class of most rows a
        // quantile's rank is then within about ±0.8% at the median and ±0.1% at p99; a class of a share s of the rows has
        // 1/√s that). Without a row count the stride grows with the rows scanned, to the same end. The samples' losses wait
        // for the report's first read (HistogramSampler).
        var everyLoss = options.Mode == SelectionMode.Stochastic || options.MaxLoss is not null;
        var histogramStride = everyLoss ? 1 : rowCount is { } rows ? (int)HistogramSampler.StrideFor(rows) : SelectionPlan.GrowingHistogramStride;
        var plan = new SelectionPlan(options, reader.ClassCount, reader.IsBinary, bounds, reference, reader.LossOfHardness, histogramStride,
            defersHistogram: !everyLoss);
        var scan = Scan(scored, reader, options, plan, pass: passCount, passCount, useGates);
        var selectWatch = Stopwatch.StartNew();
        var selection = scan.Selector.Complete();
        selectWatch.Stop();

        CheckRowsScanned(rowCount, scan.Rows, options);
        CheckClasses(selection, reader, options, scan);
        var report = new MiningReport(selection, scan.Rows, scan.InvalidScores, scan.MissingLabels,
            scan.ReadTime, scan.SelectTime + selectWatch.Elapsed, passCount);
        MiningLog.Info(environment, LogSource, Summary(report));
        if (report.RowsWithInvalidScore > 0 || report.RowsWithMissingLabel > 0)
            MiningLog.Warning(environment, LogSource,
                $"{report.RowsWithInvalidScore} rows with a NaN or infinite score or loss (skipped under InvalidScorePolicy.Skip) and {report.RowsWithMissingLabel} with a missing label " +
                $"in '{options.LabelColumnName}' were left out of {report.RowsScanned}: none of them can be selected.");
        return new MiningResult(selection, report, options);
    }

    // Without a row count, fraction and "all" budgets (and the noise fraction) need the class sizes before the heaps can be sized.
    private static bool CapacityDependsOnRows(HardExampleMiningOptions options) =>
        options.Negatives.IsFraction || options.Positives.IsFraction || options.NoiseGuardFraction > 0;

    // The first pass of stochastic mode only needs each class's loss histogram.
    private static SelectionPlan HistogramOnlyPlan(HardExampleMiningOptions options, LossReader reader)
    {
        var histogramOnly = options.Clone();
        histogramOnly.Mode = SelectionMode.TopK;
        histogramOnly.Negatives = MiningBudget.None;
        histogramOnly.Positives = MiningBudget.None;
        histogramOnly.NoiseGuardFraction = 0;
        histogramOnly.MaxLoss = null;
        histogramOnly.GroupColumnName = null;
        histogramOnly.BoxColumnName = null;
        return new SelectionPlan(histogramOnly, reader.ClassCount, reader.IsBinary, new long[reader.ClassCount], lossOf: reader.LossOfHardness);
    }

    private static IDataView Score(IDataView data, HardExampleMiningOptions options)
    {
        if (options.Scorer is null) return data;
        try
        {
            return options.Scorer.Transform(data);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException(
                $"HardExampleMiningOptions.Scorer could not be applied to the data: {e.Message} The scorer must accept the data's schema (train it on data with the same columns).", e);
        }
    }

    private static long[] CountClasses(IDataView data, LossReader reader)
    {
        // Only the label is read, on the unscored data: cheap next to scoring.
        var labelColumn = data.Schema.GetColumnOrNull(reader.LabelColumnName)
            ?? throw new InvalidOperationException($"Column '{reader.LabelColumnName}' is produced by the scorer; give the data a row count (e.g. mlContext.Data.Cache) or a Count budget.");
        var counts = new long[reader.ClassCount];
        using var cursor = data.GetRowCursor([labelColumn]);
        var label = reader.BindLabel(cursor);
        while (cursor.MoveNext())
        {
            var c = label();
            if (c >= 0) counts[c]++;
        }
        return counts;
    }

    // The positions index the data's rows: a view that lost rows (a scorer that filters), or has none, would map them to others.
    private static void CheckRowsScanned(long? rowCount, long rowsScanned, HardExampleMiningOptions options)
    {
        if (rowsScanned == 0)
            throw new ArgumentException("The data view has no rows: there is nothing to mine. Check the loader's path and filters.", "data");
        if (rowCount is { } rows && rows != rowsScanned)
            throw new InvalidOperationException(options.Scorer is not null
                ? $"HardExampleMiningOptions.Scorer turned the {rows} rows of the data into {rowsScanned}: a scorer must map rows one to one (a fitted model, not a filter), because the mined positions index the data's rows. Filter the data before mining instead."
                : $"The data view says it has {rows} rows but a cursor read {rowsScanned}: the mined positions would not index its rows. Cache it first (mlContext.Data.Cache).");
    }

    private static void CheckClasses(MiningSelection selection, LossReader reader, HardExampleMiningOptions options, ScanResult scan)
    {
        var valid = selection.Classes.Sum(c => c.Rows);
        if (valid == 0)
            throw new InvalidOperationException(
                $"None of the {scan.Rows} rows could be mined: {scan.MissingLabels} have a missing label in '{options.LabelColumnName}' and {scan.InvalidScores} an invalid score. Check the label and score columns.");
        if (reader.IsBinary && !options.AllowSingleClass && (selection.Classes[0].Rows == 0 || selection.Classes[1].Rows == 0))
        {
            var present = selection.Classes[0].Rows == 0 ? "positives" : "negatives";
            throw new InvalidOperationException(
                $"The label column '{options.LabelColumnName}' holds only {present} ({valid} rows): hard-example mining needs both classes. " +
                "Check the label column and the split, or set HardExampleMiningOptions.AllowSingleClass = true to mine a one-class pool.");
        }
    }

    private static string Summary(MiningReport report)
    {
        var parts = report.Classes.Select(c =>
            $"{(report.IsBinary ? (c.ClassIndex == 1 ? "positives" : "negatives") : "class " + c.ClassIndex)} {c.SelectedHard}+{c.SelectedRandom}/{c.Rows}");
        return $"selected {report.Selected} of {report.RowsScanned} rows (hard+random/rows: {string.Join(", ", parts)}); invalid scores {report.RowsWithInvalidScore}, missing labels {report.RowsWithMissingLabel}";
    }
}
