namespace Microsoft.ML.HardMining.Detection;

/// <summary>An image (file or in memory) with its ground-truth boxes; no boxes means a background-only image.</summary>
public sealed class LabeledImage
{
    /// <summary>An image file with its ground truth.</summary>
    /// <param name="id">Image id (the group of its candidates); unique within a set.</param>
    /// <param name="path">Image file, loaded when the detector runs (errors name the file).</param>
    /// <param name="groundTruth">Ground-truth boxes in original pixels; <see langword="null"/> or empty for a background-only image.</param>
    public LabeledImage(string id, string path, IReadOnlyList<BoundingBox>? groundTruth = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Id = id;
        Path = path;
        GroundTruth = groundTruth ?? [];
    }

    /// <summary>An in-memory image with its ground truth.</summary>
    /// <param name="id">Image id; unique within a set.</param>
    /// <param name="image">The pixels.</param>
    /// <param name="groundTruth">Ground-truth boxes; <see langword="null"/> or empty for a background-only image.</param>
    public LabeledImage(string id, RgbImage image, IReadOnlyList<BoundingBox>? groundTruth = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(image);
        Id = id;
        Image = image;
        GroundTruth = groundTruth ?? [];
    }

    /// <summary>Image id.</summary>
    public string Id { get; }

    /// <summary>Image file, when loaded from disk.</summary>
    public string? Path { get; }

    /// <summary>Pixels, when held in memory.</summary>
    public RgbImage? Image { get; }

    /// <summary>Ground-truth boxes (original pixels).</summary>
    public IReadOnlyList<BoundingBox> GroundTruth { get; }

    /// <summary>The pixels: the in-memory image, or the file loaded now.</summary>
    /// <returns>The image.</returns>
    public RgbImage Load() => Image ?? RgbImage.Load(Path!);
}
