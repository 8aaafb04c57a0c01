namespace Microsoft.ML.HardMining.Trainers;

/// <summary>Options shared by the binary and multiclass hard-example mining trainers.</summary>
/// <remarks>
/// The defaults follow what held up on real data (docs/trainers.md): mine in rounds from a random start, keep a random
/// share in every cache, skip the very top losses as probable label noise, and guard the result on held-out rows.
/// </remarks>
public abstract class HardMiningTrainerOptionsBase
{
    private protected HardMiningTrainerOptionsBase() { }

    /// <summary>The label column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The score column the inner trainer writes. Default "Score".</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>
    /// The example-weight column the inner trainer was configured to read (for example
    /// <c>FastTree(exampleWeightColumnName: "Weight")</c>). When set, the class-weighted baseline writes its weights there;
    /// mining itself always trains on rows (filter mode), so trainers without weights (AveragedPerceptron) work. Default null.
    /// </summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>Offline rounds (any trainer; the default) or per-epoch mining with warm start.</summary>
    public MiningSchedule Schedule { get; set; } = MiningSchedule.OfflineRounds;

    /// <summary>
    /// Share of each mined class's cache (or epoch subset) drawn at random rather than by loss, kept for every round.
    /// Default 0.25 (with a 20% budget: a 5% random start plus 15% mined). Pure top-k collapsed on real data; a random
    /// share keeps the easy part of the distribution in view.
    /// </summary>
    public double RandomShare { get; set; } = 0.25;

    /// <summary>Rounds of mining after the random start (offline), or epochs after the first (per epoch). Default 3.</summary>
    public int MaxRounds { get; set; } = 3;

    /// <summary>Upper bound on cached rows per mined class; 0 = from the budget fraction. Default 0.</summary>
    public long MaxCacheRows { get; set; }

    /// <summary>Upper bound on the estimated bytes of all rows trained on in a round (from the schema's column sizes); 0 = none. Default 0.</summary>
    public long MaxCacheBytes { get; set; }

    /// <summary>Hard rows added per mined class per round; 0 = (cache − random share) / <see cref="MaxRounds"/>. Default 0.</summary>
    public long ExamplesPerRound { get; set; }

    /// <summary>A row outside the cache counts as hard only when its loss is above this value; when none is, mining stops. Default 0.</summary>
    public double MinHardLoss { get; set; }

    /// <summary>
    /// Share of each mined class's rows with the very highest losses never added: probable label noise. Default 0.005.
    /// With 10% of positives relabelled as negatives, pure top-k became worse than full data on real data.
    /// </summary>
    public double NoiseGuardFraction { get; set; } = 0.005;

    /// <summary>Stop when the hardest rows of two consecutive rounds overlap (Jaccard) by at least this much; above 1 disables. Default 0.9.</summary>
    public double OverlapThreshold { get; set; } = 0.9;

    /// <summary>DPM rule: stop when each mined class's total loss over its pool is within (1 + this) of its loss over its cache; 0 disables. Default 0.05.</summary>
    public double ObjectiveTolerance { get; set; } = 0.05;

    /// <summary>How the per-epoch schedule picks the hard part of each subset. Default <see cref="EpochSelection.TopK"/>.</summary>
    public EpochSelection EpochSelection { get; set; } = EpochSelection.TopK;

    /// <summary>Exponent of the loss percentile for <see cref="EpochSelection.Stochastic"/>. Default 3.</summary>
    public double Beta { get; set; } = 3;

    /// <summary>Seed of every random choice (random start, random share, holdout). Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The validation guard (on by default).</summary>
    public ValidationGuardOptions Validation { get; set; } = new();

    /// <summary>A copy with its own <see cref="Validation"/>: a trainer mines with the options it was built with, checked once,
    /// whatever the caller changes afterwards.</summary>
    internal T Copy<T>() where T : HardMiningTrainerOptionsBase
    {
        var copy = (T)MemberwiseClone();
        copy.Validation = Validation?.Copy()!;
        return copy;
    }

    internal virtual void Check()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(ScoreColumnName);
        Range(RandomShare, 0, 1, nameof(RandomShare));
        if (MaxRounds < 1) throw new ArgumentOutOfRangeException(nameof(MaxRounds), MaxRounds, "At least one mining round is needed.");
        if (MaxCacheRows < 0) throw new ArgumentOutOfRangeException(nameof(MaxCacheRows), MaxCacheRows, "Use 0 for 'from the budget fraction' or a positive count.");
        if (MaxCacheBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxCacheBytes), MaxCacheBytes, "Use 0 for 'no byte limit' or a positive count.");
        if (ExamplesPerRound < 0) throw new ArgumentOutOfRangeException(nameof(ExamplesPerRound), ExamplesPerRound, "Use 0 for automatic or a positive count.");
        // An infinite bar counts no row as hard, so mining would stop at once as if converged.
        if (!double.IsFinite(MinHardLoss)) throw new ArgumentOutOfRangeException(nameof(MinHardLoss), MinHardLoss, "MinHardLoss must be a finite loss, such as 0.");
        Range(NoiseGuardFraction, 0, 0.5, nameof(NoiseGuardFraction));
        if (double.IsNaN(OverlapThreshold) || OverlapThreshold <= 0) throw new ArgumentOutOfRangeException(nameof(OverlapThreshold), OverlapThreshold, "Must be in (0, 1], or above 1 to disable the rule.");
        if (double.IsNaN(ObjectiveTolerance) || ObjectiveTolerance < 0) throw new ArgumentOutOfRangeException(nameof(ObjectiveTolerance), ObjectiveTolerance, "Must be at least 0 (0 disables the rule).");
        if (!double.IsFinite(Beta) || Beta < 0) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "Beta must be a finite exponent of at least 0, such as 3.");
        Defined(Schedule, nameof(Schedule));
        Defined(EpochSelection, nameof(EpochSelection));
        var v = Validation ?? throw new ArgumentNullException(nameof(Validation));
        if (v.Enabled)
        {
            Defined(v.Baseline, nameof(ValidationGuardOptions.Baseline));
            if (v.Patience < 1)
                throw new ArgumentOutOfRangeException(nameof(ValidationGuardOptions.Patience), v.Patience,
                    "Validation.Patience must be at least 1 (the number of rounds without improvement before stopping).");
            if (v.ValidationData is null && (double.IsNaN(v.HoldoutFraction) || v.HoldoutFraction <= 0 || v.HoldoutFraction >= 1))
                throw new ArgumentOutOfRangeException(nameof(ValidationGuardOptions.HoldoutFraction), v.HoldoutFraction,
                    "Validation.HoldoutFraction must be in (0, 1), for example 0.2; or give Validation.ValidationData.");
            Range(v.TargetRecall, 0, 1, nameof(ValidationGuardOptions.TargetRecall), lowOpen: true);
            if (double.IsNaN(v.MinImprovementInStandardErrors) || v.MinImprovementInStandardErrors < 0)
                throw new ArgumentOutOfRangeException(nameof(ValidationGuardOptions.MinImprovementInStandardErrors), v.MinImprovementInStandardErrors,
                    "Validation.MinImprovementInStandardErrors must be at least 0 (0: keep mining on any strict improvement).");
            if (v.Baseline == BaselineKind.ClassWeighted && ExampleWeightColumnName is null)
                throw new ArgumentException(
                    $"Validation.Baseline is ClassWeighted but {nameof(ExampleWeightColumnName)} is not set: configure the inner trainer to read a weight column and name it here, or use BaselineKind.Full.",
                    nameof(ExampleWeightColumnName));
        }
    }

    // A cast integer is not a member: it used to fall through to one member's behaviour without a word.
    private protected static void Defined<TEnum>(TEnum value, string name) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    private protected static void Range(double value, double low, double high, string name, bool lowOpen = false)
    {
        if (double.IsNaN(value) || value < low || value > high || (lowOpen && value == low))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in {(lowOpen ? "(" : "[")}{low}, {high}].");
    }
}

/// <summary>Options of <see cref="HardMiningTrainer{TTransformer}"/> for binary classification (hard-negative mining).</summary>
public sealed class HardNegativeMiningOptions : HardMiningTrainerOptionsBase
{
    /// <summary>Cache capacity (offline) or epoch subset size (per epoch) as a share of the training negatives. Default 0.2.</summary>
    public double NegativeFraction { get; set; } = 0.2;

    /// <summary>Share of the positives trained on; 1 keeps all of them, below 1 mines hard positives the same way. Default 1.</summary>
    public double PositiveFraction { get; set; } = 1;

    /// <summary>How hardness is measured from the raw score. Default <see cref="HardnessLoss.LogLoss"/>.</summary>
    public HardnessLoss Loss { get; set; } = HardnessLoss.LogLoss;

    /// <summary>The margin of <see cref="HardnessLoss.Hinge"/>. Default 1.</summary>
    public double Margin { get; set; } = 1;

    internal override void Check()
    {
        base.Check();
        Range(NegativeFraction, 0, 1, nameof(NegativeFraction), lowOpen: true);
        Range(PositiveFraction, 0, 1, nameof(PositiveFraction), lowOpen: true);
        if (!double.IsFinite(Margin) || Margin < 0) throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "Margin must be a finite margin of at least 0, such as 1.");
        Defined(Loss, nameof(Loss));
        if (Validation.Enabled && Validation.Metric is GuardMetric m && !Enum.IsDefined(m))
            throw new ArgumentOutOfRangeException(nameof(ValidationGuardOptions.Metric), m, "Unknown metric.");
    }
}

/// <summary>Options of <see cref="HardMiningTrainer{TTransformer}"/> for multiclass classification.</summary>
public sealed class MulticlassHardMiningOptions : HardMiningTrainerOptionsBase
{
    /// <summary>Cache capacity (offline) or epoch subset size (per epoch) as a share of each class's rows. Default 0.2.</summary>
    public double ClassFraction { get; set; } = 0.2;

    /// <summary>Every class keeps at least this many rows (or all of them when it has fewer). Default 50.</summary>
    public int MinRowsPerClass { get; set; } = 50;

    internal override void Check()
    {
        base.Check();
        Range(ClassFraction, 0, 1, nameof(ClassFraction), lowOpen: true);
        if (MinRowsPerClass < 1) throw new ArgumentOutOfRangeException(nameof(MinRowsPerClass), MinRowsPerClass, "Must be at least 1.");
        if (Validation.Enabled && Validation.Metric is GuardMetric.FalsePositiveRateAtRecall or GuardMetric.AreaUnderPrecisionRecallCurve)
            throw new ArgumentException(
                $"Validation.Metric {Validation.Metric} is a binary metric; for multiclass use GuardMetric.LogLoss or GuardMetric.ErrorRate.", nameof(Validation));
    }
}
