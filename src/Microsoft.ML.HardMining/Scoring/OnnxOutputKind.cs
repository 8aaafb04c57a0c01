namespace Microsoft.ML.HardMining.Scoring;

/// <summary>How <see cref="OnnxBatchScorer"/> interprets the values of the model's score output.</summary>
public enum OnnxOutputKind
{
    /// <summary>
    /// Decide from the model's metadata: an output whose name contains <c>prob</c>, <c>softmax</c> or <c>sigmoid</c>
    /// (case-insensitive) holds <see cref="Probabilities"/>; any other output holds <see cref="Logits"/>.
    /// </summary>
    Auto = 0,

    /// <summary>Logits: a sigmoid is applied to a single value per row, a softmax to several.</summary>
    Logits = 1,

    /// <summary>Probabilities already (the model ends in a sigmoid or softmax): values are checked to lie in [0, 1] and used as they are.</summary>
    Probabilities = 2,

    /// <summary>Raw scores used as they are, with no probability derived (regression scores, uncalibrated margins, features).</summary>
    RawScore = 3,
}
