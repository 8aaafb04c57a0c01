namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// Cheap RoI features for a verifier classifier: the RoI resized to a small grey patch (zero mean, unit variance)
/// followed by a histogram of oriented gradients over the same patch.
/// </summary>
/// <remarks>
/// With the defaults (24×24 patch, 6×6-pixel cells, 9 unsigned orientation bins) a RoI gives 576 + 144 = 720 floats
/// in well under a millisecond, against tens of milliseconds per RoI for a ResNet18 forward pass on CPU.
/// </remarks>
public sealed class RoiFeaturizer
{
    /// <summary>Creates a featurizer.</summary>
    /// <param name="patchSize">Side of the grey patch; a multiple of <paramref name="cellSize"/>. Default 24.</param>
    /// <param name="cellSize">HOG cell side in patch pixels. Default 6.</param>
    /// <param name="bins">HOG orientation bins over [0, π). Default 9.</param>
    /// <param name="context">The RoI is scaled about its centre by this before cropping. Default 1 (the box itself).</param>
    public RoiFeaturizer(int patchSize = 24, int cellSize = 6, int bins = 9, float context = 1f)
    {
        if (patchSize < 4 || cellSize < 2 || patchSize % cellSize != 0)
            throw new ArgumentOutOfRangeException(nameof(patchSize), $"patchSize ({patchSize}) must be >= 4 and a multiple of cellSize ({cellSize}).");
        if (bins < 2)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "Use at least 2 orientation bins.");
        if (!(context > 0))
            throw new ArgumentOutOfRangeException(nameof(context), context, "The context factor must be positive.");
        PatchSize = patchSize;
        CellSize = cellSize;
        Bins = bins;
        Context = context;
    }

    /// <summary>Grey patch side.</summary>
    public int PatchSize { get; }

    /// <summary>HOG cell side.</summary>
    public int CellSize { get; }

    /// <summary>HOG orientation bins.</summary>
    public int Bins { get; }

    /// <summary>Context factor.</summary>
    public float Context { get; }

    /// <summary>Length of a feature vector.</summary>
    public int Length => PatchSize * PatchSize + (PatchSize / CellSize) * (PatchSize / CellSize) * Bins;

    /// <summary>Computes the features of one RoI.</summary>
    /// <param name="image">The image.</param>
    /// <param name="box">The RoI (non-empty); parts outside the image repeat the edge pixels.</param>
    /// <returns>A new vector of <see cref="Length"/> floats.</returns>
    public float[] Featurize(RgbImage image, BoundingBox box)
    {
        ArgumentNullException.ThrowIfNull(image);
        var roi = Context == 1f ? box : box.Expand(Context);
        var gray = image.CropResize(roi, PatchSize, PatchSize).ToGray();
        var features = new float[Length];
        var n = gray.Length;
        double mean = 0, sq = 0;
        foreach (var v in gray) mean += v;
        mean /= n;
        foreach (var v in gray) sq += (v - mean) * (v - mean);
        var std = Math.Sqrt(sq / n) + 1e-3;
        for (var i = 0; i < n; i++)
            features[i] = (float)((gray[i] - mean) / std);

        var cells = PatchSize / CellSize;
        var hog = features.AsSpan(n);
        var s = PatchSize;
        for (var y = 0; y < s; y++)
        {
            for (var x = 0; x < s; x++)
            {
                var gx = gray[y * s + Math.Min(x + 1, s - 1)] - gray[y * s + Math.Max(x - 1, 0)];
                var gy = gray[Math.Min(y + 1, s - 1) * s + x] - gray[Math.Max(y - 1, 0) * s + x];
                var mag = MathF.Sqrt(gx * gx + gy * gy);
                if (mag == 0) continue;
                var angle = MathF.Atan2(gy, gx);
                if (angle < 0) angle += MathF.PI;
                var bin = Math.Min(Bins - 1, (int)(angle / MathF.PI * Bins));
                hog[((y / CellSize) * cells + x / CellSize) * Bins + bin] += mag;
            }
        }
        // L2-Hys normalisation of the whole descriptor.
        Normalize(hog);
        for (var i = 0; i < hog.Length; i++) hog[i] = Math.Min(hog[i], 0.2f);
        Normalize(hog);
        return features;
    }

    private static void Normalize(Span<float> v)
    {
        double norm = 0;
        foreach (var x in v) norm += x * x;
        var inv = (float)(1 / Math.Sqrt(norm + 1e-6));
        for (var i = 0; i < v.Length; i++) v[i] *= inv;
    }
}
