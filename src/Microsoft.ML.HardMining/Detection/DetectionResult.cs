namespace Microsoft.ML.HardMining.Detection;

/// <summary>What a detector found in one image, in original-image pixel coordinates, plus counts of what it dropped.</summary>
public sealed class DetectionResult
{
    internal DetectionResult(int width, int height, IReadOnlyList<DetectionCandidate> candidates, int decoded, int droppedByTopK, int suppressed, int emptyAfterClip)
    {
        ImageWidth = width;
        ImageHeight = height;
        Candidates = candidates;
        DecodedCount = decoded;
        DroppedByTopK = droppedByTopK;
        SuppressedByNms = suppressed;
        DroppedEmptyAfterClip = emptyAfterClip;
    }

    /// <summary>Original image width.</summary>
    public int ImageWidth { get; }

    /// <summary>Original image height.</summary>
    public int ImageHeight { get; }

    /// <summary>Kept candidates, best score first, clipped to the image.</summary>
    public IReadOnlyList<DetectionCandidate> Candidates { get; }

    /// <summary>Candidates the decoder produced at or above the minimum score.</summary>
    public int DecodedCount { get; }

    /// <summary>Candidates dropped by the pre-NMS top-k cap.</summary>
    public int DroppedByTopK { get; }

    /// <summary>Candidates removed by NMS.</summary>
    public int SuppressedByNms { get; }

    /// <summary>Candidates dropped because they lay entirely outside the image (empty after clipping).</summary>
    public int DroppedEmptyAfterClip { get; }
}
