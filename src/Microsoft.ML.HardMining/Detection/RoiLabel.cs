namespace Microsoft.ML.HardMining.Detection;

/// <summary>What a candidate box is, judged by its best IoU with the ground truth.</summary>
public enum RoiLabel
{
    /// <summary>IoU below <see cref="RoiLabelingOptions.NegativeIouThreshold"/>: background.</summary>
    Negative = 0,

    /// <summary>IoU at least <see cref="RoiLabelingOptions.PositiveIouThreshold"/>: an object.</summary>
    Positive = 1,

    /// <summary>IoU in the ignore band between the two thresholds: neither trained on nor mined.</summary>
    Ignored = 2,
}
