namespace Microsoft.ML.HardMining.Detection;

/// <summary>Counts from building a candidate view: nothing is dropped or clipped without being counted here.</summary>
public sealed class CandidateReport
{
    /// <summary>Images processed.</summary>
    public int Images { get; internal set; }

    /// <summary>Images without ground truth (background only); their candidates are all negatives.</summary>
    public int BackgroundOnlyImages { get; internal set; }

    /// <summary>Candidate rows produced.</summary>
    public int Candidates { get; internal set; }

    /// <summary>Rows labelled positive.</summary>
    public int Positives { get; internal set; }

    /// <summary>Rows labelled negative.</summary>
    public int Negatives { get; internal set; }

    /// <summary>Rows in the ignore band.</summary>
    public int Ignored { get; internal set; }

    /// <summary>Ground-truth boxes seen.</summary>
    public int GroundTruthBoxes { get; internal set; }

    /// <summary>Ground-truth boxes that reached outside their image and were clipped to it.</summary>
    public int GroundTruthClipped { get; internal set; }

    /// <summary>Ground-truth boxes entirely outside their image (empty after clipping), dropped.</summary>
    public int GroundTruthDropped { get; internal set; }

    /// <summary>Ground-truth boxes that no candidate overlaps at the positive threshold (detector misses).</summary>
    public int GroundTruthMissed { get; internal set; }

    /// <summary>Candidates dropped by the detector's pre-NMS top-k cap, summed over images.</summary>
    public int DroppedByTopK { get; internal set; }

    /// <summary>Candidates removed by the detector's NMS, summed over images.</summary>
    public int SuppressedByNms { get; internal set; }

    /// <summary>Candidates dropped because they fell outside the image, summed over images.</summary>
    public int DroppedOutsideImage { get; internal set; }

    /// <inheritdoc />
    public override string ToString()
        => $"{Images} images ({BackgroundOnlyImages} background-only), {Candidates} candidates: {Positives} positive, {Negatives} negative, {Ignored} ignored; "
         + $"ground truth {GroundTruthBoxes} ({GroundTruthClipped} clipped, {GroundTruthDropped} dropped, {GroundTruthMissed} missed); "
         + $"detector dropped {DroppedByTopK} by top-k cap, {SuppressedByNms} by NMS, {DroppedOutsideImage} outside the image.";
}
