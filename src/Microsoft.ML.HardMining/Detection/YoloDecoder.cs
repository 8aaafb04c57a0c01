namespace Microsoft.ML.HardMining.Detection;

/// <summary>Layout of a raw YOLO head output.</summary>
public enum YoloLayout
{
    /// <summary><c>[1, 4 + C, N]</c>: cx, cy, w, h then C class scores per column, no objectness (YOLOv8 / v11 exports).</summary>
    ChannelsFirst,

    /// <summary><c>[1, N, 5 + C]</c>: cx, cy, w, h, objectness then C class scores per row (YOLOv5 / v7 exports).</summary>
    RowsWithObjectness,
}

/// <summary>
/// Decoder for raw YOLO outputs (before NMS). The score of a candidate is its best class score
/// (times the objectness for <see cref="YoloLayout.RowsWithObjectness"/>) and its class the arg-max.
/// </summary>
/// <remarks>
/// Boxes are centre / size in model-input pixels unless <see cref="Normalized"/>. Exports usually
/// apply the sigmoid in-graph; set <see cref="ScoresAreLogits"/> when they do not. Ties in class score
/// go to the lower class index.
/// </remarks>
public sealed class YoloDecoder : IDetectionDecoder
{
    /// <summary>Creates the decoder.</summary>
    /// <param name="layout">Output layout.</param>
    /// <param name="outputName">Name of the output (default <c>output0</c>, the Ultralytics name).</param>
    /// <param name="normalized">Whether coordinates are in [0, 1] (default <see langword="false"/>).</param>
    /// <param name="scoresAreLogits">Whether scores need a sigmoid (default <see langword="false"/>).</param>
    public YoloDecoder(YoloLayout layout, string outputName = "output0", bool normalized = false, bool scoresAreLogits = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputName);
        Layout = layout;
        OutputName = outputName;
        Normalized = normalized;
        ScoresAreLogits = scoresAreLogits;
        OutputNames = [outputName];
    }

    /// <summary>Output layout.</summary>
    public YoloLayout Layout { get; }

    /// <summary>Output name.</summary>
    public string OutputName { get; }

    /// <summary>Whether coordinates are normalised.</summary>
    public bool Normalized { get; }

    /// <summary>Whether scores are logits.</summary>
    public bool ScoresAreLogits { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> OutputNames { get; }

    private string Expected => Layout == YoloLayout.ChannelsFirst ? "[1, 4+C, N] with C >= 1" : "[1, N, 5+C] with C >= 1";

    /// <inheritdoc />
    public void CheckOutputs(IReadOnlyDictionary<string, int[]> shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        var s = DecoderShapes.Require(shapes, OutputName, nameof(YoloDecoder), Expected);
        var featureAxis = Layout == YoloLayout.ChannelsFirst ? 1 : 2;
        var minFeatures = Layout == YoloLayout.ChannelsFirst ? 5 : 6;
        if (!DecoderShapes.Matches(s, 1, -1, -1) || (s[featureAxis] >= 0 && s[featureAxis] < minFeatures))
            throw DecoderShapes.Mismatch(nameof(YoloDecoder), OutputName, Expected, s);
    }

    /// <inheritdoc />
    public IReadOnlyList<DetectionCandidate> Decode(IReadOnlyDictionary<string, DetectionTensor> outputs, int inputWidth, int inputHeight, float minScore)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        CheckOutputs(outputs.ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray()));
        var t = outputs[OutputName];
        var d = t.Data;
        int n, features;
        if (Layout == YoloLayout.ChannelsFirst)
        {
            features = t.Shape[1];
            n = t.Shape[2];
        }
        else
        {
            n = t.Shape[1];
            features = t.Shape[2];
        }
        // Element (row i, feature f) of the logical [N, features] table.
        float At(int i, int f) => Layout == YoloLayout.ChannelsFirst ? d[f * n + i] : d[i * features + f];
        float Prob(float v) => ScoresAreLogits ? DecoderShapes.Sigmoid(v) : v;
        var firstClass = Layout == YoloLayout.ChannelsFirst ? 4 : 5;
        float sx = Normalized ? inputWidth : 1f, sy = Normalized ? inputHeight : 1f;
        var result = new List<DetectionCandidate>();
        for (var i = 0; i < n; i++)
        {
            var best = -1;
            var bestScore = float.NegativeInfinity;
            for (var f = firstClass; f < features; f++)
            {
                var v = At(i, f);
                if (float.IsNaN(v))
                    throw new InvalidOperationException($"{nameof(YoloDecoder)}: output '{OutputName}' holds NaN (candidate {i}, feature {f}).");
                if (v > bestScore)
                {
                    bestScore = v;
                    best = f - firstClass;
                }
            }
            var score = Prob(bestScore);
            if (Layout == YoloLayout.RowsWithObjectness)
                score *= Prob(At(i, 4));
            if (score < minScore)
                continue;
            var box = BoxFormats.ToBox(BoxFormat.CXCYWH, At(i, 0), At(i, 1), At(i, 2), At(i, 3), sx, sy);
            result.Add(new DetectionCandidate(box, score, best));
        }
        return result;
    }
}
