namespace Microsoft.ML.HardMining;

/// <summary>Options of <see cref="HardExampleMiner"/> and of <c>mlContext.Transforms.HardExampleMining</c>.</summary>
/// <remarks>
/// The defaults keep every positive and 20% of the negatives, a quarter of that budget drawn at random from the
/// easier negatives: pure top-k is fragile on real data (see docs/concepts.md and the evidence it links), and a random
/// share keeps the easy region represented.
/// </remarks>
public sealed class HardExampleMiningOptions
{
    /// <summary>The label column: <see cref="bool"/>, <see cref="float"/>/<see cref="double"/> (positive when &gt; 0), or a key (multiclass). Default <c>Label</c>.</summary>
    public string LabelColumnName { get; set; } = DefaultColumnNames.Label;

    /// <summary>The raw score column (<see cref="float"/> or <see cref="double"/>, or a float vector of length 1; a class-score vector for multiclass). Default <c>Score</c>.</summary>
    public string ScoreColumnName { get; set; } = DefaultColumnNames.Score;

    /// <summary>The probability column; when set, log-loss, focal and squared losses read it instead of the sigmoid of the score. Default none.</summary>
    public string? ProbabilityColumnName { get; set; }

    /// <summary>The precomputed loss column read when <see cref="Loss"/> is <see cref="MiningLossKind.Column"/>. Default none.</summary>
    public string? LossColumnName { get; set; }

    /// <summary>
    /// A fitted model applied to the data before the losses are computed, e.g. the model of a first training run or an ONNX scorer.
    /// Its output must hold the score (and probability) columns. Default none: the columns must already be in the data.
    /// </summary>
    public ITransformer? Scorer { get; set; }

    /// <summary>The per-row loss. Default <see cref="MiningLossKind.LogLoss"/>.</summary>
    public MiningLossKind Loss { get; set; } = MiningLossKind.LogLoss;

    /// <summary>The margin of the hinge loss. Default 1.</summary>
    public double HingeMargin { get; set; } = 1;

    /// <summary>The focusing exponent of the focal loss. Default 2.</summary>
    public double FocalGamma { get; set; } = 2;

    /// <summary>The positive-class weight of the focal loss. Default 0.25.</summary>
    public double FocalAlpha { get; set; } = 0.25;

    /// <summary>Whether a multiclass score vector already holds probabilities (ML.NET's multiclass trainers emit them). Default true.</summary>
    public bool ScoresAreProbabilities { get; set; } = true;

    /// <summary>The budget of negatives (label false), hard and random together; for a multiclass label, the budget of each class. Default 20%.</summary>
    public MiningBudget Negatives { get; set; } = MiningBudget.Fraction(0.2);

    /// <summary>The budget of positives, hard and random together. Default all.</summary>
    public MiningBudget Positives { get; set; } = MiningBudget.All;

    /// <summary>Caps the negatives at this many per selected positive (SSD uses 3); 0 means no cap. Per group when a group column is set. Default 0.</summary>
    public double NegativesPerPositive { get; set; }

    /// <summary>The share of each class budget drawn uniformly at random from the rows not chosen as hard. Default 0.25.</summary>
    public double RandomShare { get; set; } = 0.25;

    /// <summary>
    /// Label-noise guard: the hardest <c>NoiseGuardFraction</c> of each class is left out as probably mislabelled
    /// (imbalanced-learn's instance-hardness threshold). Default 0.
    /// </summary>
    public double NoiseGuardFraction { get; set; }

    /// <summary>Label-noise guard: rows whose loss exceeds this value are left out as probably mislabelled. Default none.</summary>
    public double? MaxLoss { get; set; }

    /// <summary>A group column (e.g. an image id: integer, key or text). Enables per-group quotas, minimum negatives per group and NMS. Default none.</summary>
    public string? GroupColumnName { get; set; }

    /// <summary>The most rows kept per group, by loss after NMS (OHEM's B/N); 0 means no quota. Default 0.</summary>
    public int MaxPerGroup { get; set; }

    /// <summary>The fewest negatives kept per group whatever the ratio, so background-only groups still give negatives (TF's min_negatives_per_image). Default 0.</summary>
    public int MinNegativesPerGroup { get; set; }

    /// <summary>A box column (4 floats: x1, y1, x2, y2). With a group column, rows are deduplicated by NMS on loss within each group. Default none.</summary>
    public string? BoxColumnName { get; set; }

    /// <summary>The IoU above which NMS suppresses the lower-loss box. Default 0.7 (OHEM, TF).</summary>
    public double NmsIouThreshold { get; set; } = 0.7;

    /// <summary>The most candidates per group kept for NMS, by loss (bounds memory on groups with thousands of boxes); 0 means no cap. Default 6000.</summary>
    public int MaxCandidatesPerGroup { get; set; } = 6000;

    /// <summary>How the hard part of a budget is chosen. Default <see cref="SelectionMode.TopK"/>.</summary>
    public SelectionMode Mode { get; set; } = SelectionMode.TopK;

    /// <summary>The exponent applied to the loss percentile in <see cref="SelectionMode.Stochastic"/> mode. Default 3 (Selective Backprop).</summary>
    public double Beta { get; set; } = 3;

    /// <summary>What the mined view exposes. Default <see cref="MiningOutputMode.Filter"/>.</summary>
    public MiningOutputMode Output { get; set; } = MiningOutputMode.Filter;

    /// <summary>The weight column added in <see cref="MiningOutputMode.Weight"/> mode. Default <c>Weight</c>.</summary>
    public string WeightColumnName { get; set; } = DefaultColumnNames.Weight;

    /// <summary>The weight of a hard row in <see cref="MiningOutputMode.Weight"/> mode. Default 1.</summary>
    public float HardExampleWeight { get; set; } = 1;

    /// <summary>What to do with NaN or infinite scores and losses. Default <see cref="InvalidScorePolicy.Throw"/>.</summary>
    public InvalidScorePolicy InvalidScores { get; set; } = InvalidScorePolicy.Throw;

    /// <summary>
    /// Whether a binary label with only one class present is accepted (e.g. mining a pool of negatives alone). Default false:
    /// a single class usually means a wrong label column or a broken split, and is reported as an error.
    /// </summary>
    public bool AllowSingleClass { get; set; }

    /// <summary>
    /// The seed of the random share and of stochastic selection. The same seed gives the same selection, on any thread count.
    /// Default 0. It is the miner's own: the <see cref="MLContext"/>'s seed does not change the selection (draws are hashes of
    /// this seed and the row position, so nothing is taken from the context's random stream).
    /// </summary>
    public int Seed { get; set; }

    /// <summary>Receives progress while the data is scanned. Default none.</summary>
    public IProgress<MiningProgress>? Progress { get; set; }

    internal HardExampleMiningOptions Clone() => (HardExampleMiningOptions)MemberwiseClone();

    /// <summary>Checks every option alone, naming the one out of range.</summary>
    internal void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(LabelColumnName), nameof(LabelColumnName), "name the label column");
        Require(!string.IsNullOrWhiteSpace(ScoreColumnName) || Loss == MiningLossKind.Column, nameof(ScoreColumnName), "name the score column");
        Require(Loss != MiningLossKind.Column || !string.IsNullOrWhiteSpace(LossColumnName), nameof(LossColumnName), "set it when Loss is MiningLossKind.Column");
        Require(NegativesPerPositive >= 0 && double.IsFinite(NegativesPerPositive), nameof(NegativesPerPositive), "use 0 for no cap or a positive ratio such as 3");
        Require(RandomShare >= 0 && RandomShare <= 1, nameof(RandomShare), "use a share in [0, 1]");
        Require(NoiseGuardFraction >= 0 && NoiseGuardFraction < 1, nameof(NoiseGuardFraction), "use a fraction in [0, 1), e.g. 0.01");
        Require(MaxLoss is null || MaxLoss > 0, nameof(MaxLoss), "use a positive loss or null");
        Require(MaxPerGroup >= 0, nameof(MaxPerGroup), "use 0 for no quota");
        Require(MinNegativesPerGroup >= 0, nameof(MinNegativesPerGroup), "use 0 or more");
        Require(MaxCandidatesPerGroup >= 0, nameof(MaxCandidatesPerGroup), "use 0 for no cap");
        Require(NmsIouThreshold > 0 && NmsIouThreshold <= 1, nameof(NmsIouThreshold), "use an IoU in (0, 1], e.g. 0.7");
        Require(BoxColumnName is null || GroupColumnName is not null, nameof(BoxColumnName), "NMS runs within groups: set GroupColumnName too (e.g. the image id)");
        Require((MaxPerGroup == 0 && MinNegativesPerGroup == 0) || GroupColumnName is not null, nameof(GroupColumnName), "per-group quotas need a group column");
        Require(Beta >= 0 && double.IsFinite(Beta), nameof(Beta), "use a non-negative exponent such as 3");
        // An infinite margin makes every loss infinite, an infinite gamma every loss 0: the ranking would mean nothing.
        Require(HingeMargin > 0 && double.IsFinite(HingeMargin), nameof(HingeMargin), "use a positive, finite margin such as 1");
        Require(FocalGamma >= 0 && double.IsFinite(FocalGamma), nameof(FocalGamma), "use a non-negative, finite exponent such as 2");
        Require(FocalAlpha >= 0 && FocalAlpha <= 1, nameof(FocalAlpha), "use a weight in [0, 1] such as 0.25");
        Require(HardExampleWeight > 0 && float.IsFinite(HardExampleWeight), nameof(HardExampleWeight), "use a positive weight");
        // A cast integer is not a member: it used to fall through to some default behaviour without a word.
        Require(Enum.IsDefined(Loss), nameof(Loss), $"use one of {string.Join(", ", Enum.GetNames<MiningLossKind>())}");
        Require(Enum.IsDefined(Mode), nameof(Mode), $"use one of {string.Join(", ", Enum.GetNames<SelectionMode>())}");
        Require(Enum.IsDefined(Output), nameof(Output), $"use one of {string.Join(", ", Enum.GetNames<MiningOutputMode>())}");
        Require(Enum.IsDefined(InvalidScores), nameof(InvalidScores), $"use one of {string.Join(", ", Enum.GetNames<InvalidScorePolicy>())}");
        Require(!(Negatives.AllowsNoRow && Positives.AllowsNoRow), nameof(Negatives),
            "both Negatives and Positives allow no row, so nothing would be selected; give at least one of them a count or a fraction");
        if (Output == MiningOutputMode.Weight)
        {
            Require(!string.IsNullOrWhiteSpace(WeightColumnName), nameof(WeightColumnName), "name the weight column");
            // The weight column replaces a source column of the same name: replacing one the miner reads hides it from the trainer.
            var read = new[] { LabelColumnName, ScoreColumnName, ProbabilityColumnName, LossColumnName, GroupColumnName, BoxColumnName };
            Require(!read.Contains(WeightColumnName, StringComparer.Ordinal), nameof(WeightColumnName),
                $"'{WeightColumnName}' is also a column the miner reads (label, score, probability, loss, group or box), which the weight column would replace in the mined view; name it differently, e.g. 'Weight'");
        }
    }

    private static void Require(bool condition, string option, string advice)
    {
        if (!condition)
            throw new ArgumentOutOfRangeException(option, $"HardExampleMiningOptions.{option} is out of range: {advice}.");
    }
}
