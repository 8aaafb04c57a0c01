namespace Microsoft.ML.HardMining.Evaluation;

/// <summary>A target recall as a count: the one rule the binary curve and the detection metrics both answer by.</summary>
internal static class RecallTarget
{
    /// <summary>
    /// The fewest true positives out of <paramref name="positives"/> that reach <paramref name="recall"/>, robust to rounding
    /// (0.95 × 20 = 19.000000000000004 needs 19); any recall above 0 needs at least one (the tolerance alone turned 1e-12
    /// into none); 0 for recall 0.
    /// </summary>
    public static long TruePositivesNeeded(double recall, long positives) =>
        recall > 0 ? Math.Max(1, (long)Math.Ceiling(recall * positives - 1e-9)) : 0;
}
