namespace Microsoft.ML.HardMining.Cli.Reports;

/// <summary>
/// A coarse view of the miner's 2,048-bin loss histogram: 64 bins, each the union of 32 consecutive fine bins (so the counts are
/// exact), with the losses of the selected rows binned on the same edges.
/// </summary>
public sealed record LossHistogramSummary(double[] BinLowerEdges, long[] AllRows, long[] SelectedRows)
{
    /// <summary>Fine bins per coarse bin.</summary>
    public const int Merge = 32;

    /// <summary>Builds the summary of one class.</summary>
    /// <param name="histogram">The class's histogram (all rows with a valid loss).</param>
    /// <param name="selectedLosses">The losses of the selected rows of the class.</param>
    public static LossHistogramSummary Create(LossHistogram histogram, IEnumerable<double> selectedLosses)
    {
        var bins = LossHistogram.BinCount / Merge;
        var edges = Enumerable.Range(0, bins).Select(b => LossHistogram.BinLowerEdge(b * Merge)).ToArray();
        var all = new long[bins];
        for (var i = 0; i < LossHistogram.BinCount; i++) all[i / Merge] += histogram.Counts[i];
        var selected = new long[bins];
        foreach (var loss in selectedLosses)
        {
            var b = Array.BinarySearch(edges, loss);
            if (b < 0) b = ~b - 1;
            selected[Math.Clamp(b, 0, bins - 1)]++;
        }
        return new LossHistogramSummary(edges, all, selected);
    }
}
