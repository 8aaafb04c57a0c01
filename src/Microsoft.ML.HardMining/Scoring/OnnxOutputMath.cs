namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Sigmoid, softmax and logit as the scorer applies them (double precision inside, float out).</summary>
internal static class OnnxOutputMath
{
    /// <summary>Smallest distance from 0 and 1 kept when a probability is turned back into a logit.</summary>
    public const double ProbabilityClamp = 1e-15;

    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));

    public static float Logit(float p)
    {
        double q = Math.Clamp((double)p, ProbabilityClamp, 1 - ProbabilityClamp);
        return (float)Math.Log(q / (1 - q));
    }

    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        double max = double.NegativeInfinity;
        foreach (var v in logits)
            max = Math.Max(max, v);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
            sum += Math.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++)
            probabilities[i] = (float)(Math.Exp(logits[i] - max) / sum);
    }
}
