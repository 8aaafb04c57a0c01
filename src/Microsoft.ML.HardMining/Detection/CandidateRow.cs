using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>One candidate box of one image: a row of the candidate view (<see cref="CandidateSet.ToDataView"/>).</summary>
public sealed class CandidateRow
{
    /// <summary>Id of the image the box belongs to (the OHEM group).</summary>
    public string ImageId { get; set; } = string.Empty;

    /// <summary>Position of the box among its image's candidates (best detector score first).</summary>
    public int CandidateIndex { get; set; }

    /// <summary>The box <c>[x1, y1, x2, y2]</c> in original-image pixels.</summary>
    [VectorType(4)]
    public float[] Box { get; set; } = new float[4];

    /// <summary>Detector confidence in [0, 1].</summary>
    public float Score { get; set; }

    /// <summary>Detector class index.</summary>
    public int ClassId { get; set; }

    /// <summary>Best IoU with any ground-truth box of the image (0 for background-only images).</summary>
    public float BestIoU { get; set; }

    /// <summary>Index of that ground-truth box, or -1.</summary>
    public int MatchedGroundTruth { get; set; } = -1;

    /// <summary><see cref="RoiLabel"/> as text: <c>Positive</c>, <c>Negative</c> or <c>Ignored</c>.</summary>
    public string Kind { get; set; } = nameof(RoiLabel.Negative);

    /// <summary>Binary label for a downstream verifier: true for positives (false for negatives and ignored rows).</summary>
    public bool Label { get; set; }

    /// <summary>Classification log-loss of the detector score for this label (0 for ignored rows).</summary>
    public float ClassificationLoss { get; set; }

    /// <summary>Smooth-L1 localisation loss against the matched ground truth (positives only, else 0).</summary>
    public float LocalizationLoss { get; set; }

    /// <summary>Per-RoI loss: classification + weight · localisation.</summary>
    public float Loss { get; set; }

    /// <summary>The box as a <see cref="BoundingBox"/>.</summary>
    /// <returns>The box.</returns>
    public BoundingBox GetBox() => BoundingBox.FromArray(Box);

    /// <summary>The label as an enum.</summary>
    /// <returns>The label.</returns>
    public RoiLabel GetKind() => Enum.Parse<RoiLabel>(Kind);
}
