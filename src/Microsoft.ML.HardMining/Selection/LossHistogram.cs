namespace Microsoft.ML.HardMining;

/// <summary>
/// A fixed-grid histogram of losses: 2,048 bins over <c>log(1 + loss)</c> from loss 0 to 50 (the last bin takes the rest).
/// Fixed bins make it mergeable and order-independent; it gives the report's quantiles and the loss percentile of
/// stochastic selection.
/// </summary>
public sealed class LossHistogram
{
    /// <summary>The number of bins.</summary>
    public const int BinCount = 2048;

    /// <summary>The loss at which the last bin starts to collect everything above.</summary>
    public const double MaxBinnedLoss = 50;

    private static readonly double Scale = BinCount / Math.Log(1 + MaxBinnedLoss);
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
    public static double BinLowerEdge(int bin) => Math.Exp(bin / Scale) - 1;

    internal static int BinOf(double loss) => loss <= 0 ? 0 : Math.Min(BinCount - 1, (int)(Math.Log(1 + loss) * Scale));

    internal void Add(double loss)
    {
        _counts[BinOf(loss)]++;
        Count++;
        _sum += loss;
        if (Count == 1) { Min = loss; Max = loss; }
        else { Min = Math.Min(Min, loss); Max = Math.Max(Max, loss); }
    }

    internal void AddRange(LossHistogram other)
    {
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
        var bin = BinOf(loss);
        long below = 0;
        for (var i = 0; i < bin; i++) below += _counts[i];
        return (below + 0.5 * _counts[bin]) / Count;
    }

    internal double[] CumulativeBelow()
    {
        var cumulative = new double[BinCount];
        long below = 0;
        for (var i = 0; i < BinCount; i++) { cumulative[i] = below; below += _counts[i]; }
        return cumulative;
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
