namespace Microsoft.ML.HardMining.Detection;

/// <summary>One anchor layer: a grid of cells, each with a few anchors at the cell centre.</summary>
/// <param name="GridWidth">Cells per row.</param>
/// <param name="GridHeight">Cells per column.</param>
/// <param name="AnchorsPerCell">Anchors per cell (all centred on the cell).</param>
/// <param name="ScoreOutput">Output with one score logit per anchor, shape [1, cells·anchors, 1].</param>
/// <param name="BoxOutput">Output with the regressors per anchor, shape [1, cells·anchors, K] with K ≥ 4 (dx, dy, w, h first).</param>
public sealed record AnchorLayer(int GridWidth, int GridHeight, int AnchorsPerCell, string ScoreOutput, string BoxOutput)
{
    /// <summary>Anchors in this layer.</summary>
    public int AnchorCount => GridWidth * GridHeight * AnchorsPerCell;
}

/// <summary>
/// Decoder for single-class anchor detectors whose anchors sit at grid-cell centres and whose
/// regressors are pixel offsets: BlazeFace (MediaPipe) and similar SSD-lite heads.
/// </summary>
/// <remarks>
/// For anchor (cell x, cell y) of a layer with a W×H grid, the box centre is
/// <c>((x + 0.5) / W · inputWidth + dx, (y + 0.5) / H · inputHeight + dy)</c> and its size <c>(w, h)</c>,
/// all in model-input pixels; the score is <c>sigmoid(logit)</c> (logits clamped to ±100 as MediaPipe does).
/// Anchors are enumerated row by row, cell by cell, anchor by anchor within a cell. Negative
/// regressed sizes (they occur on background anchors) are clamped to 0.
/// </remarks>
public sealed class AnchorGridDecoder : IDetectionDecoder
{
    /// <summary>Creates a decoder over the given layers, in output order.</summary>
    /// <param name="layers">The anchor layers.</param>
    public AnchorGridDecoder(IReadOnlyList<AnchorLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new ArgumentException("At least one anchor layer is needed.", nameof(layers));
        foreach (var l in layers)
        {
            if (l.GridWidth <= 0 || l.GridHeight <= 0 || l.AnchorsPerCell <= 0)
                throw new ArgumentException($"Anchor layer {l} needs positive grid sizes and anchors per cell.", nameof(layers));
        }
        Layers = layers.ToArray();
        OutputNames = Layers.SelectMany(l => new[] { l.ScoreOutput, l.BoxOutput }).Distinct().ToArray();
    }

    /// <summary>
    /// The BlazeFace layout (both the back 256×256 and the front 128×128 models): 16×16 cells × 2 anchors
    /// (<c>Identity:0</c> scores, <c>Identity_2:0</c> regressors), then 8×8 cells × 6 anchors
    /// (<c>Identity_1:0</c>, <c>Identity_3:0</c>); 896 anchors, 16 regressors each (box + 6 keypoints).
    /// </summary>
    /// <returns>The decoder.</returns>
    public static AnchorGridDecoder BlazeFace() => new(
    [
        new AnchorLayer(16, 16, 2, "Identity:0", "Identity_2:0"),
        new AnchorLayer(8, 8, 6, "Identity_1:0", "Identity_3:0"),
    ]);

    /// <summary>The layers, in output order.</summary>
    public IReadOnlyList<AnchorLayer> Layers { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> OutputNames { get; }

    /// <inheritdoc />
    public void CheckOutputs(IReadOnlyDictionary<string, int[]> shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        foreach (var l in Layers)
        {
            var s = DecoderShapes.Require(shapes, l.ScoreOutput, nameof(AnchorGridDecoder), ScoreShape(l));
            if (!DecoderShapes.Matches(s, 1, l.AnchorCount, 1))
                throw DecoderShapes.Mismatch(nameof(AnchorGridDecoder), l.ScoreOutput, ScoreShape(l), s);
            var b = DecoderShapes.Require(shapes, l.BoxOutput, nameof(AnchorGridDecoder), BoxShape(l));
            if (!DecoderShapes.Matches(b, 1, l.AnchorCount, -1) || (b[2] >= 0 && b[2] < 4))
                throw DecoderShapes.Mismatch(nameof(AnchorGridDecoder), l.BoxOutput, BoxShape(l), b);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<DetectionCandidate> Decode(IReadOnlyDictionary<string, DetectionTensor> outputs, int inputWidth, int inputHeight, float minScore)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        CheckOutputs(outputs.ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray()));
        var result = new List<DetectionCandidate>();
        foreach (var l in Layers)
        {
            var scores = outputs[l.ScoreOutput].Data;
            var boxes = outputs[l.BoxOutput];
            var stride = boxes.Shape[2];
            var i = 0;
            for (var y = 0; y < l.GridHeight; y++)
            {
                for (var x = 0; x < l.GridWidth; x++)
                {
                    var ax = (x + 0.5f) / l.GridWidth * inputWidth;
                    var ay = (y + 0.5f) / l.GridHeight * inputHeight;
                    for (var a = 0; a < l.AnchorsPerCell; a++, i++)
                    {
                        var score = DecoderShapes.Sigmoid(scores[i]);
                        if (float.IsNaN(scores[i]))
                            throw new InvalidOperationException($"{nameof(AnchorGridDecoder)}: output '{l.ScoreOutput}' holds NaN at anchor {i}.");
                        if (score < minScore)
                            continue;
                        var o = i * stride;
                        var d = boxes.Data;
                        var box = BoundingBox.FromCenter(ax + d[o], ay + d[o + 1], MathF.Max(0f, d[o + 2]), MathF.Max(0f, d[o + 3]));
                        result.Add(new DetectionCandidate(box, score, 0));
                    }
                }
            }
        }
        return result;
    }

    private static string ScoreShape(AnchorLayer l) => $"[1, {l.AnchorCount}, 1]";

    private static string BoxShape(AnchorLayer l) => $"[1, {l.AnchorCount}, K>=4]";
}
