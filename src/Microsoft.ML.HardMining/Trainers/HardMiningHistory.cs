namespace Microsoft.ML.HardMining.Trainers;

/// <summary>What one round (offline) or epoch (per epoch) of a mining trainer did.</summary>
public sealed record HardMiningRound
{
    /// <summary>0 for the random start, then 1, 2, ...</summary>
    public required int Round { get; init; }

    /// <summary>Rows the model of this round was trained on.</summary>
    public required long TrainingRows { get; init; }

    /// <summary>Rows trained on per class (binary: [negatives, positives]).</summary>
    public required IReadOnlyList<long> TrainingRowsPerClass { get; init; }

    /// <summary>Hard rows added to the cache after scoring with this round's model (0 on the last round).</summary>
    public long NewHardExamples { get; init; }

    /// <summary>Cached rows evicted (the easiest hard rows) to respect the cache limits.</summary>
    public long Evicted { get; init; }

    /// <summary>Losses of the mined classes' pools under this round's model: median, 90th and 99th percentile, maximum (NaN when the pool was not scored).</summary>
    public double LossP50 { get; init; } = double.NaN;

    /// <summary>90th percentile of the pool losses.</summary>
    public double LossP90 { get; init; } = double.NaN;

    /// <summary>99th percentile of the pool losses.</summary>
    public double LossP99 { get; init; } = double.NaN;

    /// <summary>Largest pool loss.</summary>
    public double LossMax { get; init; } = double.NaN;

    /// <summary>Total loss over the mined pools (the DPM objective's data term over the pool).</summary>
    public double PoolObjective { get; init; } = double.NaN;

    /// <summary>Total loss over the cached rows of the mined classes.</summary>
    public double CacheObjective { get; init; } = double.NaN;

    /// <summary>Jaccard overlap of this round's hardest rows with the previous round's (null on the first scored round).</summary>
    public double? HardSetOverlap { get; init; }

    /// <summary>The guard's metric on validation rows for this round's model (null when the guard is off).</summary>
    public double? ValidationMetric { get; init; }

    /// <summary>Time spent training this round's model.</summary>
    public TimeSpan TrainTime { get; init; }

    /// <summary>Time spent scoring the pool and selecting.</summary>
    public TimeSpan MiningTime { get; init; }

    /// <inheritdoc/>
    public override string ToString()
        => $"round {Round}: {TrainingRows} rows [{string.Join(", ", TrainingRowsPerClass)}], +{NewHardExamples} hard, -{Evicted} evicted, " +
           $"loss p50 {LossP50:G3} p99 {LossP99:G3}" + (ValidationMetric is double m ? $", validation {m:G4}" : "") +
           (HardSetOverlap is double o ? $", overlap {o:P0}" : "");
}

/// <summary>The record of one <c>Fit</c> of a mining trainer: rounds, why it stopped, and the guard's decision.</summary>
public sealed class HardMiningHistory
{
    internal HardMiningHistory(IReadOnlyList<HardMiningRound> rounds, MiningStopReason stopReason, string stopDetail,
        GuardMetric? metric, int chosenRound, double? baselineMetric, bool baselineKept, string verdict)
    {
        Rounds = rounds;
        StopReason = stopReason;
        StopDetail = stopDetail;
        Metric = metric;
        ChosenRound = chosenRound;
        BaselineMetric = baselineMetric;
        BaselineKept = baselineKept;
        Verdict = verdict;
    }

    /// <summary>Every round in order.</summary>
    public IReadOnlyList<HardMiningRound> Rounds { get; }

    /// <summary>Why the loop stopped.</summary>
    public MiningStopReason StopReason { get; }

    /// <summary>The stopping rule's numbers, in words.</summary>
    public string StopDetail { get; }

    /// <summary>The guard's metric, or null when the guard was off.</summary>
    public GuardMetric? Metric { get; }

    /// <summary>The round whose model (or cache) was returned; -1 when the baseline was returned.</summary>
    public int ChosenRound { get; }

    /// <summary>The baseline's validation metric, or null when no baseline was trained.</summary>
    public double? BaselineMetric { get; }

    /// <summary>How much better than <see cref="BaselineMetric"/> the best round had to be to be kept (in the metric's units); null without a baseline.</summary>
    public double? RequiredMargin { get; init; }

    /// <summary>The bootstrap numbers behind the decision (null without a baseline).</summary>
    internal GuardStatistics? Statistics { get; init; }

    /// <summary>True when the guard returned the plain baseline because mining did not beat it.</summary>
    public bool BaselineKept { get; }

    /// <summary>One line: which model was kept and why, with the numbers (for example "mining kept: FPR@R95 2.10% vs baseline 3.40%").</summary>
    public string Verdict { get; }

    /// <inheritdoc/>
    public override string ToString() => string.Join(Environment.NewLine, Rounds.Select(r => r.ToString()).Append($"stopped: {StopReason} ({StopDetail})").Append(Verdict));
}
