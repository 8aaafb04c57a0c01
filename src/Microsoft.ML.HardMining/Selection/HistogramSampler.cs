namespace Microsoft.ML.HardMining;

/// <summary>
/// Feeds the hardness of a class's sampled rows into its loss histogram, turning hardness into loss a batch at a time rather
/// than one row at a time inside the scan.
/// </summary>
/// <remarks>
/// A loss costs a logarithm and an exponential (log-loss from a raw score). Computed at each sampled row, between thousands of
/// rows of the scan loop, it measured about 100 ns a sample; in a batch, a fraction of that. The losses reach the histogram in
/// the order the rows were sampled, so the histogram, its sum included, is the same as with one loss at a time.
/// </remarks>
internal sealed class HistogramSampler(LossHistogram histogram, Func<int, double, double> lossOf, int classIndex)
{
    private const int BatchSize = 1024;
    private double[]? _pending;
    private int _count;

    /// <summary>Adds the loss of a row of hardness <paramref name="hardness"/> to the histogram (by the next <see cref="Flush"/>).</summary>
    public void Add(double hardness)
    {
        _pending ??= new double[BatchSize];
        _pending[_count++] = hardness;
        if (_count == BatchSize) Flush();
    }

    /// <summary>Adds the pending losses to the histogram: call before reading it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Flush()
    {
        for (var i = 0; i < _count; i++) histogram.Add(lossOf(classIndex, _pending![i]));
        _count = 0;
    }
}
