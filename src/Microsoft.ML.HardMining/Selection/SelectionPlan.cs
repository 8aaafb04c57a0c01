namespace Microsoft.ML.HardMining;

/// <summary>The options resolved against the data: class layout, per-class row bounds and the capacities they imply.</summary>
internal sealed class SelectionPlan
{
    public SelectionPlan(HardExampleMiningOptions options, int classCount, bool isBinary, long[] classRowUpperBounds, LossHistogram[]? percentileReference = null,
        Func<int, double, double>? lossOf = null, int histogramStride = 1, bool defersHistogram = false)
    {
        LossOf = lossOf ?? ((_, hardness) => hardness);
        if (histogramStride < 0 || (histogramStride & (histogramStride - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(histogramStride), "The histogram stride must be a power of two, or GrowingHistogramStride.");
        HistogramStride = histogramStride;
        DefersHistogram = defersHistogram;
        Options = options;
        ClassCount = classCount;
        IsBinary = isBinary;
        ClassRowUpperBounds = classRowUpperBounds;
        PercentileReference = percentileReference;
        if (options.Mode == SelectionMode.Stochastic && percentileReference is null)
            throw new InvalidOperationException("Stochastic selection needs the loss histogram of a first pass.");
        if (histogramStride == GrowingHistogramStride && NeedsEveryLoss)
            throw new InvalidOperationException("A growing histogram stride needs top-k without a maximum loss: the other modes add every row's loss at once.");
    }

    public HardExampleMiningOptions Options { get; }

    /// <summary>The loss of a row of a class from its hardness (the identity when hardness is the loss).</summary>
    public Func<int, double, double> LossOf { get; }

    /// <summary>Every how many rows (by position) a loss goes into the class histograms: 1 when percentiles need every row,
    /// <see cref="GrowingHistogramStride"/> when the view's row count is unknown (<see cref="HistogramSampler"/>).</summary>
    public int HistogramStride { get; }

    /// <summary>A <see cref="HistogramStride"/> that starts at 1 and grows with the rows scanned.</summary>
    public const int GrowingHistogramStride = 0;

    /// <summary>Whether the sampled rows' losses may wait until the histograms are read (their number is bounded).</summary>
    public bool DefersHistogram { get; }

    /// <summary>Whether selection needs each row's loss (maximum loss, stochastic keys) rather than its hardness alone.</summary>
    public bool NeedsEveryLoss => Options.MaxLoss is not null || Options.Mode == SelectionMode.Stochastic;
    public int ClassCount { get; }
    public bool IsBinary { get; }
    public long[] ClassRowUpperBounds { get; }

    /// <summary>Per class, the loss distribution that defines a row's percentile in stochastic mode.</summary>
    public LossHistogram[]? PercentileReference { get; }

    public bool Grouped => Options.GroupColumnName is not null;

    public MiningBudget BudgetOf(int classIndex) => IsBinary && classIndex == 1 ? Options.Positives : Options.Negatives;

    public long NoiseCount(long classRows) => (long)Math.Floor(Options.NoiseGuardFraction * classRows);

    public long RandomCount(long budget) => (long)Math.Round(Options.RandomShare * budget, MidpointRounding.AwayFromZero);

    /// <summary>Enough rows to hold the noise-guarded top plus the whole budget, however many rows the class turns out to have.</summary>
    public long Capacity(int classIndex)
    {
        var bound = ClassRowUpperBounds[classIndex];
        return NoiseCount(bound) + BudgetOf(classIndex).Resolve(bound);
    }

    /// <summary>
    /// Enough rows to hold the noise-guarded top plus the hard part of the budget (top-k mode): B − round(share·B) never
    /// shrinks as B grows, so the bound's budget covers whatever the class's rows and the negatives-per-positive cap make of it.
    /// </summary>
    public long HardCapacity(int classIndex)
    {
        var bound = ClassRowUpperBounds[classIndex];
        var budget = BudgetOf(classIndex).Resolve(bound);
        return NoiseCount(bound) + budget - RandomCount(budget);
    }

    /// <summary>The most rows the random share of a class can take (top-k mode), however many rows the class turns out to have.</summary>
    public long RandomCapacity(int classIndex) => RandomCount(BudgetOf(classIndex).Resolve(ClassRowUpperBounds[classIndex]));

    /// <summary>The Efraimidis-Spirakis key of a row: <c>ln(u) / percentile^beta</c>.</summary>
    public double SamplingKey(int classIndex, double loss, long position)
    {
        var weight = Math.Pow(PercentileReference![classIndex].Percentile(loss), Options.Beta);
        var u = RowHash.Uniform(Options.Seed, RowHash.SamplingStream, position);
        return weight > 0 ? Math.Log(u) / weight : double.NegativeInfinity;
    }
}
