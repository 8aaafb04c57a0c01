namespace Microsoft.ML.HardMining.Detection;

/// <summary>The state after accepting every detection scoring at least <see cref="Threshold"/>.</summary>
/// <param name="Threshold">Score of the last accepted detection.</param>
/// <param name="TruePositives">Accepted detections matched to a ground-truth box.</param>
/// <param name="FalsePositives">Accepted detections not matched.</param>
/// <param name="Recall">TruePositives / ground-truth boxes.</param>
/// <param name="Precision">TruePositives / accepted detections.</param>
public readonly record struct DetectionCurvePoint(float Threshold, int TruePositives, int FalsePositives, double Recall, double Precision);
