namespace Microsoft.ML.HardMining;

/// <summary>
/// A fixed-grid histogram of losses: log-linear bins over <c>1 + loss</c>, 256 bins per power of two (a relative width of
/// 0.4%) from loss 0 to 63, then 16 per power of two (4.4%) up to 2^128 − 1, beyond any Single; the last bin takes the rest.
/// Fixed bins make it mergeable and order-independent; it gives the report's quantiles and the loss percentile of
/// stochastic selection.
/// </summary>
/// <remarks>
/// <para>A bin is read off the bits of the double <c>1 + loss</c> (exponent and top mantissa bits), so adding a loss costs no
/// logarithm: the miner adds one per scanned row.</para>
/// <para>The grid used to end at 63: every larger loss shared one bin, so stochastic selection gave all of them one
/// percentile and drew them uniformly (hinge losses of raw scores, precomputed losses in the hundreds). The coarse octaves
/// keep their order.</para>
/// </remarks>
public sealed class LossHistogram
{
    private const int FineBits = 8;
    private const int FineOctaves = 6;
    private const int CoarseBits = 4;
    private const int Octaves = 128;
    private const int FineBins = FineOctaves << FineBits;

    /// <summary>The number of bins.</summary>
    public const int BinCount = FineBins + ((Octaves - FineOctaves) << CoarseBits);

    /// <summary>Losses from this value up share the last bin: 2^128 − 1, above the largest Single.</summary>
    public const double MaxBinnedLoss = 3.4028236692093846e38;
    private readonly long[] _counts = new long[BinCount];

    /// <summary>The number of losses added.</summary>
    public long Count { get; private set; }

    /// <summary>The smallest loss added (NaN when empty).</summary>
    public double Min { get; private set; } = double.NaN;

    /// <summary>The largest loss added (NaN when empty).</summary>
    public double Max { get; private set; } = double.NaN;

    /// <summary>The mean loss (NaN when empty).</summary>
    public double Mean => Count == 0 ? double.NaN : _sum / Count;

    private double _sum;

    /// <summary>The count in each bin.</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>The loss at which bin <paramref name="bin"/> starts.</summary>
    /// <param name="bin">A bin index.</param>
    public static double BinLowerEdge(int bin)
    {
        if (bin < FineBins)
            return Math.ScaleB(1 + (bin & ((1 << FineBits) - 1)) / (double)(1 << FineBits), bin >> FineBits) - 1;
        var coarse = bin - FineBins;
        return Math.ScaleB(1 + (coarse & ((1 << CoarseBits) - 1)) / (double)(1 << CoarseBits), FineOctaves + (coarse >> CoarseBits)) - 1;
    }

    internal static int BinOf(double loss)
    {
        if (!(loss > 0)) return 0;
        if (loss >= MaxBinnedLoss) return BinCount - 1;
        var bits = BitConverter.DoubleToInt64Bits(1 + loss);
        var octave = (int)((bits >> 52) & 0x7FF) - 1023;
        if (octave < FineOctaves)
            return (octave << FineBits) | ((int)(bits >> (52 - FineBits)) & ((1 << FineBits) - 1));
        return FineBins + ((octave - FineOctaves) << CoarseBits) + ((int)(bits >> (52 - CoarseBits)) & ((1 << CoarseBits) - 1));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal void Add(double loss)
    {
        _rowsBelowBin = null;
        _counts[BinOf(loss)]++;
        Count++;
        _sum += loss;
        if (Count == 1) { Min = loss; Max = loss; }
        else { Min = Math.Min(Min, loss); Max = Math.Max(Max, loss); }
    }

    internal void AddRange(LossHistogram other)
    {
        _rowsBelowBin = null;
        if (other.Count == 0) return;
        for (var i = 0; i < BinCount; i++) _counts[i] += other._counts[i];
        Min = Count == 0 ? other.Min : Math.Min(Min, other.Min);
        Max = Count == 0 ? other.Max : Math.Max(Max, other.Max);
        Count += other.Count;
        _sum += other._sum;
    }

    /// <summary>
    /// The mid-rank percentile of <paramref name="loss"/> on this grid: (rows in lower bins + half the rows in its bin) / rows.
    /// </summary>
    /// <param name="loss">A loss.</param>
    public double Percentile(double loss)
    {
        if (Count == 0) return 0;
        var below = _rowsBelowBin ??= RowsBelowEachBin();
        var bin = BinOf(loss);
        return (below[bin] + 0.5 * _counts[bin]) / Count;
    }

    // Stochastic selection asks for a percentile per row; the running sums are computed once per change of the histogram.
    private long[]? _rowsBelowBin;

    private long[] RowsBelowEachBin()
    {
        var below = new long[BinCount];
        for (var i = 1; i < BinCount; i++) below[i] = below[i - 1] + _counts[i - 1];
        return below;
    }

    /// <summary>The loss below which a share <paramref name="q"/> of the rows fall, to the bin's lower edge (clamped to the observed range).</summary>
    /// <param name="q">A share in [0, 1].</param>
    public double Quantile(double q)
    {
        if (Count == 0) return double.NaN;
        var target = q * Count;
        long cumulative = 0;
        for (var i = 0; i < BinCount; i++)
        {
            cumulative += _counts[i];
            if (cumulative >= target && _counts[i] > 0)
                return Math.Clamp(BinLowerEdge(i), Min, Max);
        }
        return Max;
    }
}
