namespace Microsoft.ML.HardMining.Detection;

/// <summary>One box proposed by a detector: where, how confident, which class.</summary>
/// <param name="Box">The box, in the coordinates of the frame it was decoded in (model input or original image).</param>
/// <param name="Score">Detector confidence in [0, 1] (after sigmoid / softmax where the model emits logits).</param>
/// <param name="ClassId">Zero-based class index (0 for single-class detectors such as BlazeFace).</param>
public readonly record struct DetectionCandidate(BoundingBox Box, float Score, int ClassId);
