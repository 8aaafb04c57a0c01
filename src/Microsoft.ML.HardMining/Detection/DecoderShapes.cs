namespace Microsoft.ML.HardMining.Detection;

/// <summary>Shape checks shared by the decoders, with errors that name expected vs found shapes.</summary>
internal static class DecoderShapes
{
    public static int[] Require(IReadOnlyDictionary<string, int[]> shapes, string name, string decoder, string expected)
    {
        if (!shapes.TryGetValue(name, out var shape))
        {
            var found = string.Join(", ", shapes.Select(kv => $"'{kv.Key}' {DetectionTensor.FormatShape(kv.Value)}"));
            throw new InvalidOperationException($"{decoder} expects a model output '{name}' with shape {expected}, but the model has no such output. Found outputs: {found}. Pick the decoder that matches the model or set its output names.");
        }
        return shape;
    }

    public static DetectionTensor Require(IReadOnlyDictionary<string, DetectionTensor> outputs, string name, string decoder, string expected)
    {
        if (!outputs.TryGetValue(name, out var tensor))
        {
            var found = string.Join(", ", outputs.Select(kv => $"'{kv.Key}' {DetectionTensor.FormatShape(kv.Value.Shape)}"));
            throw new InvalidOperationException($"{decoder} expects a model output '{name}' with shape {expected}, but it is missing. Found outputs: {found}.");
        }
        return tensor;
    }

    /// <summary>Whether <paramref name="found"/> matches <paramref name="expected"/> (-1 on either side matches anything).</summary>
    public static bool Matches(IReadOnlyList<int> found, params int[] expected)
    {
        if (found.Count != expected.Length)
            return false;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] >= 0 && found[i] >= 0 && expected[i] != found[i])
                return false;
        }
        return true;
    }

    public static InvalidOperationException Mismatch(string decoder, string name, string expected, IReadOnlyList<int> found)
        => new($"{decoder}: model output '{name}' has shape {DetectionTensor.FormatShape(found)} but the decoder expects {expected}. The decoder does not match this model: pick the matching decoder or fix its options.");

    public static float Sigmoid(float logit)
    {
        // MediaPipe clamps logits to [-100, 100] before the sigmoid.
        var x = Math.Clamp(logit, -100f, 100f);
        return 1f / (1f + MathF.Exp(-x));
    }
}
