using System.Runtime.CompilerServices;

namespace Microsoft.ML.HardMining;

/// <summary>
/// A pass's class loss histograms, and which rows feed them: every row, or in top-k mode the rows at multiples of a
/// power-of-two stride of positions, chosen so that a pass keeps 16,384 to 32,768 of them (every row up to 32,768 rows;
/// <see cref="StrideFor"/>). The stride comes from the row count when the view knows it; when it does not (a text loader),
/// the stride grows with the rows seen and the samples off the new stride are dropped, so the pass ends with the rows a view
/// of known size would have given.
/// </summary>
/// <remarks>
/// Top-k needs no loss per row, so a sample is kept as its hardness and turned into a loss (a logarithm and an exponential
/// for log-loss from a raw score, about 20 ns) when the histograms are first read: a pass whose report nobody reads does not
/// pay for it (0.6 ms per 1M-row pass, a tenth of a bare pass over a generated view). The losses reach each histogram in the
/// order of the rows, so its sum is the same as when they were added one at a time. When every row is sampled and the count
/// is unbounded (the histogram-only first pass of stochastic mode), losses go to the histograms a batch at a time instead.
/// </remarks>
internal sealed class HistogramSampler
{
    /// <summary>A pass samples at most this many rows, and on larger views at least half as many.</summary>
    public const int MaxSamples = 1 << 15;
    private const long MaxStride = 1 << 20;
    private const int BatchSize = 1024;

    private readonly Func<int, double, double> _lossOf;
    private readonly LossHistogram[] _histograms;
    private readonly bool _strideGrows;
    private readonly bool _defers;
    private readonly Lock _flushLock = new();
    private long _stride;
    // The row count at which a growing stride doubles next: rows / stride > MaxSamples, without a division per row.
    private long _growsAtRows = long.MaxValue;
    private double[] _hardness;
    private int[] _classIndexes;
    private long[] _positions;
    private int _count;

    /// <param name="plan">Its stride (<see cref="SelectionPlan.GrowingHistogramStride"/>: grows with the rows) and whether
    /// losses may wait for the first read.</param>
    public HistogramSampler(SelectionPlan plan)
    {
        _lossOf = plan.LossOf;
        _histograms = new LossHistogram[plan.ClassCount];
        for (var c = 0; c < _histograms.Length; c++) _histograms[c] = new LossHistogram();
        _strideGrows = plan.HistogramStride == SelectionPlan.GrowingHistogramStride;
        _stride = _strideGrows ? 1 : plan.HistogramStride;
        if (_strideGrows) _growsAtRows = (MaxSamples + 1) * _stride;
        // Deferring keeps every sample until the first read: only where their number is bounded. A known row count sizes the
        // arrays once; a growing stride keeps at most MaxSamples + 1 before it thins them.
        _defers = _strideGrows || plan.DefersHistogram;
        var expected = _strideGrows || !_defers ? BatchSize : Math.Min(plan.ClassRowUpperBounds.Max() / _stride + 1, 2L * MaxSamples);
        var initial = (int)Math.Max(expected, 16);
        _hardness = new double[initial];
        _classIndexes = new int[initial];
        _positions = _strideGrows ? new long[initial] : [];
    }

    /// <summary>The stride for a view of <paramref name="rows"/> rows: the least power of two (at most 2^20) that leaves at
    /// most <see cref="MaxSamples"/> rows per stride.</summary>
    public static long StrideFor(long rows)
    {
        var stride = 1L;
        while (stride < MaxStride && rows / stride > MaxSamples) stride <<= 1;
        return stride;
    }

    /// <summary>The current stride minus one: rows whose position has none of these bits set may be sampled.</summary>
    public long Mask => _stride - 1;

    /// <summary>Whether the row at <paramref name="position"/> is sampled (when its loss is valid). A growing stride first
    /// catches up with the rows seen so far.</summary>
    public bool Takes(long position)
    {
        if (_strideGrows) GrowFor(position + 1);
        return (position & (_stride - 1)) == 0;
    }

    /// <summary>Samples the row at <paramref name="position"/> (one <see cref="Takes"/> accepted) by its hardness.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long position, int classIndex, double hardness)
    {
        if (_count == _hardness.Length) MakeRoom();
        _hardness[_count] = hardness;
        _classIndexes[_count] = classIndex;
        if (_strideGrows) _positions[_count] = position;
        _count++;
    }

    /// <summary>Samples a row by its loss, computed anyway (stochastic mode, a maximum loss).</summary>
    public void AddLoss(int classIndex, double loss) => _histograms[classIndex].Add(loss);

    /// <summary>The pass has seen <paramref name="rows"/> rows: a growing stride ends where a view of that size starts.</summary>
    public void EndOfRows(long rows)
    {
        if (_strideGrows) GrowFor(rows);
    }

    /// <summary>The histogram of <paramref name="classIndex"/>, with every sample in it.</summary>
    public LossHistogram Histogram(int classIndex)
    {
        if (Volatile.Read(ref _count) > 0) Flush();
        return _histograms[classIndex];
    }

    /// <summary>Absorbs a sampler that saw other rows under the same plan (its samples follow this one's).</summary>
    public void Merge(HistogramSampler other)
    {
        // A growing stride may have grown further on one side: both keep the rows of the larger one.
        while (_stride < other._stride) Thin();
        while (other._stride < _stride) other.Thin();
        Flush();
        other.Flush();
        for (var c = 0; c < _histograms.Length; c++) _histograms[c].AddRange(other._histograms[c]);
    }

    private void GrowFor(long rows)
    {
        while (rows >= _growsAtRows) Thin();
    }

    // Doubles the stride and drops the samples that are off it, keeping the others in order.
    private void Thin()
    {
        _stride <<= 1;
        _growsAtRows = _stride < MaxStride ? (MaxSamples + 1) * _stride : long.MaxValue;
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if ((_positions[i] & (_stride - 1)) != 0) continue;
            _hardness[kept] = _hardness[i];
            _classIndexes[kept] = _classIndexes[i];
            _positions[kept] = _positions[i];
            kept++;
        }
        _count = kept;
    }

    private void MakeRoom()
    {
        if (!_defers)
        {
            Flush();
            return;
        }
        Array.Resize(ref _hardness, _hardness.Length * 2);
        Array.Resize(ref _classIndexes, _classIndexes.Length * 2);
        if (_strideGrows) Array.Resize(ref _positions, _positions.Length * 2);
    }

    // Reports may be read from several threads: the first read turns the samples into losses once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Flush()
    {
        lock (_flushLock)
        {
            for (var i = 0; i < _count; i++) _histograms[_classIndexes[i]].Add(_lossOf(_classIndexes[i], _hardness[i]));
            // Published after the histograms: a reader that sees no samples left sees them complete.
            Volatile.Write(ref _count, 0);
        }
    }
}
