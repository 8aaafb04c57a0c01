namespace Microsoft.ML.HardMining.Trainers;

/// <summary>How the mining trainers alternate between training and mining.</summary>
public enum MiningSchedule
{
    /// <summary>
    /// Offline bootstrapping (Sung and Poggio; the DPM cache): train on a random start, score the whole pool, add the
    /// hardest rows to a bounded cache, retrain from scratch; repeat until a stopping rule fires. Works with any trainer.
    /// </summary>
    OfflineRounds,

    /// <summary>
    /// Per-epoch mining (OHEM, Selective Backprop): each epoch scores the data with the current model, selects the hard
    /// subset plus a random share, and continues training from the current parameters. Needs a warm-startable trainer.
    /// </summary>
    PerEpoch,
}

/// <summary>How a row's hardness is measured for binary mining.</summary>
public enum HardnessLoss
{
    /// <summary>Log-loss of the raw score through a sigmoid: every row has a positive loss; the default.</summary>
    LogLoss,

    /// <summary>Hinge loss max(0, margin − y·score): rows beyond the margin have zero loss and are never hard (the DPM rule).</summary>
    Hinge,
}

/// <summary>How the per-epoch schedule picks the hard part of each epoch's subset.</summary>
public enum EpochSelection
{
    /// <summary>The rows with the highest losses.</summary>
    TopK,

    /// <summary>Rows drawn without replacement with weights (loss percentile)^beta, a fixed count per epoch (after Selective
    /// Backprop, which keeps each row on its own with that probability).</summary>
    Stochastic,
}

/// <summary>The metric the validation guard compares rounds and the baseline by.</summary>
public enum GuardMetric
{
    /// <summary>False-positive rate at <see cref="ValidationGuardOptions.TargetRecall"/> (binary only; lower is better). The binary default.</summary>
    FalsePositiveRateAtRecall,

    /// <summary>Area under the precision-recall curve, exact average precision (binary only; higher is better).</summary>
    AreaUnderPrecisionRecallCurve,

    /// <summary>Mean log-loss (binary: of the Probability column, or of sigmoid(Score) when absent; multiclass: cross-entropy). The multiclass default.</summary>
    LogLoss,

    /// <summary>Share of validation rows misclassified (binary: Score &gt; 0 is positive; multiclass: arg-max class).</summary>
    ErrorRate,
}

/// <summary>The plain model the validation guard trains to compare mining against.</summary>
public enum BaselineKind
{
    /// <summary>Class-weighted when <see cref="HardMiningTrainerOptionsBase.ExampleWeightColumnName"/> is set, else full data.</summary>
    Auto,

    /// <summary>The inner trainer on all training rows.</summary>
    Full,

    /// <summary>The inner trainer on all training rows with inverse class-frequency weights in
    /// <see cref="HardMiningTrainerOptionsBase.ExampleWeightColumnName"/> (the inner trainer must read that column).</summary>
    ClassWeighted,

    /// <summary>No baseline: the guard only picks the best round.</summary>
    None,
}

/// <summary>Why the mining loop stopped.</summary>
public enum MiningStopReason
{
    /// <summary>The configured number of rounds (or epochs) ran.</summary>
    RoundLimit,

    /// <summary>No row outside the cache had a loss above <see cref="HardMiningTrainerOptionsBase.MinHardLoss"/>.</summary>
    NoNewHardExamples,

    /// <summary>The hardest rows of two consecutive rounds overlapped by at least <see cref="HardMiningTrainerOptionsBase.OverlapThreshold"/>.</summary>
    HardSetConverged,

    /// <summary>The DPM rule: the loss over the whole pool was within a factor (1 + <see cref="HardMiningTrainerOptionsBase.ObjectiveTolerance"/>) of the loss over the cache.</summary>
    ObjectiveConverged,

    /// <summary>The validation metric did not improve for <see cref="ValidationGuardOptions.Patience"/> rounds.</summary>
    ValidationPatience,

    /// <summary>No round can add a hard row: the random share fills every mined class's cache (a <see cref="HardMiningTrainerOptionsBase.RandomShare"/>
    /// of 1, or a cache of a row or two), so the random start is all there is.</summary>
    NoRoomForHardRows,
}
