namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// Decoder for detectors that already emit final boxes, scores and labels (torchvision
/// Faster R-CNN / SSD / RetinaNet exports, TF Object Detection API exports): boxes [N, 4] or
/// [1, N, 4], scores [N] or [1, N], labels [N] or [1, N] (optional; int64 labels are read as numbers).
/// </summary>
/// <remarks>Scores are taken as probabilities. Use <see cref="Normalized"/> when the boxes are in [0, 1].</remarks>
public sealed class BoxesScoresLabelsDecoder : IDetectionDecoder
{
    /// <summary>Creates the decoder.</summary>
    /// <param name="boxesOutput">Name of the boxes output (torchvision: <c>boxes</c>).</param>
    /// <param name="scoresOutput">Name of the scores output (torchvision: <c>scores</c>).</param>
    /// <param name="labelsOutput">Name of the labels output, or <see langword="null"/> for a single class.</param>
    /// <param name="format">Layout of the four box numbers (default <see cref="BoxFormat.XYXY"/>).</param>
    /// <param name="normalized">Whether box coordinates are in [0, 1] of the input size (default <see langword="false"/>).</param>
    public BoxesScoresLabelsDecoder(string boxesOutput = "boxes", string scoresOutput = "scores", string? labelsOutput = "labels", BoxFormat format = BoxFormat.XYXY, bool normalized = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(boxesOutput);
        ArgumentException.ThrowIfNullOrEmpty(scoresOutput);
        BoxesOutput = boxesOutput;
        ScoresOutput = scoresOutput;
        LabelsOutput = labelsOutput;
        Format = format;
        Normalized = normalized;
        OutputNames = labelsOutput is null ? [boxesOutput, scoresOutput] : [boxesOutput, scoresOutput, labelsOutput];
    }

    /// <summary>Boxes output name.</summary>
    public string BoxesOutput { get; }

    /// <summary>Scores output name.</summary>
    public string ScoresOutput { get; }

    /// <summary>Labels output name, if any.</summary>
    public string? LabelsOutput { get; }

    /// <summary>Box layout.</summary>
    public BoxFormat Format { get; }

    /// <summary>Whether boxes are normalised to [0, 1].</summary>
    public bool Normalized { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> OutputNames { get; }

    /// <inheritdoc />
    public void CheckOutputs(IReadOnlyDictionary<string, int[]> shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        const string boxExpected = "[N, 4] or [1, N, 4]";
        const string vecExpected = "[N] or [1, N]";
        var b = DecoderShapes.Require(shapes, BoxesOutput, nameof(BoxesScoresLabelsDecoder), boxExpected);
        if (!DecoderShapes.Matches(b, -1, 4) && !DecoderShapes.Matches(b, 1, -1, 4))
            throw DecoderShapes.Mismatch(nameof(BoxesScoresLabelsDecoder), BoxesOutput, boxExpected, b);
        var s = DecoderShapes.Require(shapes, ScoresOutput, nameof(BoxesScoresLabelsDecoder), vecExpected);
        if (!DecoderShapes.Matches(s, -1) && !DecoderShapes.Matches(s, 1, -1))
            throw DecoderShapes.Mismatch(nameof(BoxesScoresLabelsDecoder), ScoresOutput, vecExpected, s);
        if (LabelsOutput is not null)
        {
            var l = DecoderShapes.Require(shapes, LabelsOutput, nameof(BoxesScoresLabelsDecoder), vecExpected);
            if (!DecoderShapes.Matches(l, -1) && !DecoderShapes.Matches(l, 1, -1))
                throw DecoderShapes.Mismatch(nameof(BoxesScoresLabelsDecoder), LabelsOutput, vecExpected, l);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<DetectionCandidate> Decode(IReadOnlyDictionary<string, DetectionTensor> outputs, int inputWidth, int inputHeight, float minScore)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        CheckOutputs(outputs.ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray()));
        var boxes = outputs[BoxesOutput].Data;
        var scores = outputs[ScoresOutput].Data;
        var labels = LabelsOutput is null ? null : outputs[LabelsOutput].Data;
        var n = boxes.Length / 4;
        if (scores.Length != n || (labels is not null && labels.Length != n))
            throw new InvalidOperationException($"{nameof(BoxesScoresLabelsDecoder)}: {n} boxes but {scores.Length} scores{(labels is null ? "" : $" and {labels.Length} labels")}; the counts must agree.");
        float sx = Normalized ? inputWidth : 1f, sy = Normalized ? inputHeight : 1f;
        var result = new List<DetectionCandidate>(n);
        for (var i = 0; i < n; i++)
        {
            if (float.IsNaN(scores[i]))
                throw new InvalidOperationException($"{nameof(BoxesScoresLabelsDecoder)}: score {i} in '{ScoresOutput}' is NaN.");
            if (scores[i] < minScore)
                continue;
            var box = BoxFormats.ToBox(Format, boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], sx, sy);
            result.Add(new DetectionCandidate(box, scores[i], labels is null ? 0 : (int)labels[i]));
        }
        return result;
    }
}
