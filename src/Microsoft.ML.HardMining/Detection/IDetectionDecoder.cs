namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// Turns a detector's raw named output tensors into candidate boxes with a score and a class,
/// in model-input pixel coordinates.
/// </summary>
/// <remarks>
/// Implementations: <see cref="AnchorGridDecoder"/> (BlazeFace / SSD-style anchors with sigmoid
/// logits and offsets), <see cref="BoxesScoresLabelsDecoder"/> (torchvision / TF SSD exports with
/// NMS inside the graph), <see cref="YoloDecoder"/> (raw YOLO heads). A decoder that does not match
/// the model throws <see cref="InvalidOperationException"/> naming the expected and the found shapes,
/// both when the detector is created (<see cref="CheckOutputs"/>) and on every decode.
/// </remarks>
public interface IDetectionDecoder
{
    /// <summary>Names of the model outputs this decoder reads.</summary>
    IReadOnlyList<string> OutputNames { get; }

    /// <summary>
    /// Checks the model's declared output shapes (dynamic dimensions given as -1) and throws
    /// <see cref="InvalidOperationException"/> naming expected vs found shapes when they cannot be decoded.
    /// </summary>
    /// <param name="shapes">Declared shape of every model output, by name.</param>
    void CheckOutputs(IReadOnlyDictionary<string, int[]> shapes);

    /// <summary>Decodes every candidate whose score is at least <paramref name="minScore"/>.</summary>
    /// <param name="outputs">The model outputs, by name (extra outputs are ignored).</param>
    /// <param name="inputWidth">Model input width in pixels (to scale normalised coordinates).</param>
    /// <param name="inputHeight">Model input height in pixels.</param>
    /// <param name="minScore">Lowest score kept.</param>
    /// <returns>Candidates in model-input pixel coordinates, in output order.</returns>
    IReadOnlyList<DetectionCandidate> Decode(IReadOnlyDictionary<string, DetectionTensor> outputs, int inputWidth, int inputHeight, float minScore);
}
