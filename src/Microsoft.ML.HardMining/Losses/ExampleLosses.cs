namespace Microsoft.ML.HardMining;

/// <summary>
/// Per-example losses in closed form. Every function returns a finite, non-negative value for any
/// finite input: probabilities are clamped to <c>[1e-15, 1 - 1e-15]</c> and logits go through
/// numerically stable forms, so a confident mistake has a large but finite loss.
/// </summary>
public static class ExampleLosses
{
    /// <summary>The probability clamp: no loss exceeds <c>-log(1e-15)</c>, about 34.5.</summary>
    public const double ProbabilityEpsilon = 1e-15;

    /// <summary>Binary log-loss <c>-log p</c> for a positive, <c>-log(1 - p)</c> for a negative.</summary>
    /// <param name="positive">Whether the row's label is the positive class.</param>
    /// <param name="probability">The predicted probability of the positive class.</param>
    public static double LogLossFromProbability(bool positive, double probability)
    {
        // The true class's probability is clamped, not p before 1 − p: 1 − (1 − 1e-15) is 9.99e-16 in double, which let a
        // confident mistake on a negative pass the cap (34.5396 against 34.5388).
        var pTrue = ClampProbability(positive ? probability : 1 - probability);
        return -Math.Log(pTrue);
    }

    /// <summary>Binary log-loss from a raw score (a logit): <c>log(1 + exp(-y*s))</c>, computed without overflow.</summary>
    /// <param name="positive">Whether the row's label is the positive class.</param>
    /// <param name="rawScore">The raw score; the probability is its sigmoid.</param>
    public static double LogLossFromScore(bool positive, double rawScore)
    {
        var margin = positive ? rawScore : -rawScore;
        return Softplus(-margin);
    }

    /// <summary>Hinge loss <c>max(0, margin - y*s)</c> with y = +1 for a positive, -1 for a negative.</summary>
    /// <param name="positive">Whether the row's label is the positive class.</param>
    /// <param name="rawScore">The raw score.</param>
    /// <param name="margin">The margin (1 for a standard SVM).</param>
    public static double Hinge(bool positive, double rawScore, double margin = 1)
    {
        var y = positive ? 1.0 : -1.0;
        return Math.Max(0, margin - y * rawScore);
    }

    /// <summary>Squared error <c>(label - prediction)^2</c>.</summary>
    /// <param name="label">The target value (0 or 1 for a binary label).</param>
    /// <param name="prediction">The prediction (a probability or a score).</param>
    public static double Squared(double label, double prediction)
    {
        var d = label - prediction;
        // Finite for every finite input, as promised: (1.8e308)² would be +∞.
        return Math.Min(d * d, double.MaxValue);
    }

    /// <summary>Focal loss <c>-alpha_t (1 - p_t)^gamma log p_t</c>, where p_t is the probability given to the true class.</summary>
    /// <param name="positive">Whether the row's label is the positive class.</param>
    /// <param name="probability">The predicted probability of the positive class.</param>
    /// <param name="gamma">The focusing exponent (2 in the paper).</param>
    /// <param name="alpha">The weight of the positive class; negatives get <c>1 - alpha</c> (0.25 in the paper).</param>
    public static double Focal(bool positive, double probability, double gamma = 2, double alpha = 0.25)
    {
        var pTrue = ClampProbability(positive ? probability : 1 - probability);
        var alphaT = positive ? alpha : 1 - alpha;
        return -alphaT * Math.Pow(1 - pTrue, gamma) * Math.Log(pTrue);
    }

    /// <summary>Multiclass cross-entropy <c>-log p[label]</c>.</summary>
    /// <param name="labelIndex">The zero-based index of the true class.</param>
    /// <param name="scores">Class probabilities, or raw class scores (logits) that a softmax turns into probabilities.</param>
    /// <param name="scoresAreProbabilities">True when <paramref name="scores"/> already sum to one (ML.NET's multiclass <c>Score</c>).</param>
    public static double CrossEntropy(int labelIndex, ReadOnlySpan<float> scores, bool scoresAreProbabilities)
    {
        if ((uint)labelIndex >= (uint)scores.Length)
            throw new ArgumentOutOfRangeException(nameof(labelIndex), $"Label index {labelIndex} is outside the {scores.Length} class scores.");
        if (scoresAreProbabilities)
            return -Math.Log(ClampProbability(scores[labelIndex]));

        // log-softmax with the max subtracted, so large logits do not overflow.
        double max = double.NegativeInfinity;
        foreach (var s in scores) max = Math.Max(max, s);
        double sum = 0;
        foreach (var s in scores) sum += Math.Exp(s - max);
        var loss = -(scores[labelIndex] - max - Math.Log(sum));
        return Math.Min(loss, -Math.Log(ProbabilityEpsilon));
    }

    /// <summary>The logistic function, stable for large magnitudes.</summary>
    /// <param name="x">The logit.</param>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    private static double ClampProbability(double p) => Math.Clamp(p, ProbabilityEpsilon, 1 - ProbabilityEpsilon);
}
