namespace Microsoft.ML.HardMining;

/// <summary>The per-row loss that ranks rows from easy to hard.</summary>
public enum MiningLossKind
{
    /// <summary>Binary log-loss: from the probability column when one is named, else from the sigmoid of the raw score.</summary>
    LogLoss,
    /// <summary>Hinge loss <c>max(0, margin - y*score)</c> on the raw score, with y in {-1, +1}.</summary>
    Hinge,
    /// <summary>Squared error between the 0/1 label and the probability (or the score when no probability column is named).</summary>
    Squared,
    /// <summary>Focal loss <c>-alpha_t (1 - p_t)^gamma log p_t</c> (Lin et al. 2017).</summary>
    Focal,
    /// <summary>Multiclass cross-entropy <c>-log p[label]</c> from a key label and a score vector.</summary>
    CrossEntropy,
    /// <summary>A loss already computed upstream, read from <see cref="HardExampleMiningOptions.LossColumnName"/>.</summary>
    Column,
}
