namespace Microsoft.ML.HardMining.Detection;

/// <summary>A detection to evaluate: a box and its confidence.</summary>
/// <param name="Box">The box in original-image pixels.</param>
/// <param name="Score">Confidence; higher is matched first.</param>
public readonly record struct ScoredBox(BoundingBox Box, float Score);

/// <summary>One image's ground truth and detections, for <see cref="DetectionEvaluator"/>.</summary>
/// <param name="ImageId">Image id.</param>
/// <param name="GroundTruth">Ground-truth boxes (empty for a background-only image).</param>
/// <param name="Detections">Detections of the single class being evaluated.</param>
public sealed record ImageDetections(string ImageId, IReadOnlyList<BoundingBox> GroundTruth, IReadOnlyList<ScoredBox> Detections);
