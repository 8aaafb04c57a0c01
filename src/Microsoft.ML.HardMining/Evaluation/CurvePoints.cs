namespace Microsoft.ML.HardMining.Evaluation;

/// <summary>One point of a receiver operating characteristic (ROC) curve.</summary>
/// <param name="Threshold">The score threshold: a row is predicted positive when its score is at least this value
/// (<see cref="double.PositiveInfinity"/> for the first point, where nothing is predicted positive).</param>
/// <param name="FalsePositiveRate">False positives divided by all negatives, in [0, 1].</param>
/// <param name="TruePositiveRate">True positives divided by all positives (the recall), in [0, 1].</param>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);

/// <summary>One point of a precision-recall curve.</summary>
/// <param name="Threshold">The score threshold: a row is predicted positive when its score is at least this value.</param>
/// <param name="Recall">True positives divided by all positives, in [0, 1].</param>
/// <param name="Precision">True positives divided by all rows predicted positive, in [0, 1].</param>
public readonly record struct PrecisionRecallPoint(double Threshold, double Recall, double Precision);

/// <summary>The confusion counts at one score threshold.</summary>
/// <param name="Threshold">A row is predicted positive when its score is at least this value.</param>
/// <param name="TruePositives">Positive rows predicted positive.</param>
/// <param name="FalsePositives">Negative rows predicted positive.</param>
/// <param name="TrueNegatives">Negative rows predicted negative.</param>
/// <param name="FalseNegatives">Positive rows predicted negative.</param>
public readonly record struct ConfusionCounts(double Threshold, long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    /// <summary>True positives / all positives (0 when there are no positives).</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>False positives / all negatives (0 when there are no negatives).</summary>
    public double FalsePositiveRate => FalsePositives + TrueNegatives == 0 ? 0 : (double)FalsePositives / (FalsePositives + TrueNegatives);

    /// <summary>True positives / rows predicted positive (1 when nothing is predicted positive, by convention).</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
}
