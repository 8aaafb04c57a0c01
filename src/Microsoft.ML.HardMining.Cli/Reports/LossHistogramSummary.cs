namespace Microsoft.ML.HardMining.Cli.Reports;

/// <summary>
/// A coarse view of the miner's loss histogram: each bin the union of <see cref="Merge"/> consecutive fine bins (so the counts are
/// exact), with the losses of the selected rows binned on the same edges.
/// </summary>
/// <param name="BinLowerEdges">The loss at which each bin starts.</param>
/// <param name="BinUpperEdges">The loss at which each bin ends (the last bin also takes every larger loss).</param>
/// <param name="HistogramRows">The report's histogram of the class, merged: every row, or in top-k mode a 1-in-8 sample by position
/// (the miner computes no loss per row there).</param>
/// <param name="EstimatedRows">The histogram scaled to the class's rows: the estimate of how many rows fall in each bin.</param>
/// <param name="SelectedRows">The selected rows of the class in each bin (exact).</param>
public sealed record LossHistogramSummary(double[] BinLowerEdges, double[] BinUpperEdges, long[] HistogramRows, double[] EstimatedRows, long[] SelectedRows)
{
    /// <summary>Fine bins per coarse bin.</summary>
    public const int Merge = 32;

    /// <summary>Builds the summary of one class.</summary>
    /// <param name="histogram">The class's histogram.</param>
    /// <param name="classRows">The rows of the class.</param>
    /// <param name="selectedLosses">The losses of the selected rows of the class.</param>
    public static LossHistogramSummary Create(LossHistogram histogram, long classRows, IEnumerable<double> selectedLosses)
    {
        var bins = (LossHistogram.BinCount + Merge - 1) / Merge;
        var lower = Enumerable.Range(0, bins).Select(b => LossHistogram.BinLowerEdge(b * Merge)).ToArray();
        var upper = Enumerable.Range(1, bins).Select(b => LossHistogram.BinLowerEdge(Math.Min(b * Merge, LossHistogram.BinCount))).ToArray();
        var counts = new long[bins];
        for (var i = 0; i < LossHistogram.BinCount; i++) counts[i / Merge] += histogram.Counts[i];
        var scale = histogram.Count == 0 ? 0 : (double)classRows / histogram.Count;
        var selected = new long[bins];
        foreach (var loss in selectedLosses)
        {
            var b = Array.BinarySearch(lower, loss);
            if (b < 0) b = ~b - 1;
            selected[Math.Clamp(b, 0, bins - 1)]++;
        }
        return new LossHistogramSummary(lower, upper, counts, counts.Select(c => c * scale).ToArray(), selected);
    }
}
