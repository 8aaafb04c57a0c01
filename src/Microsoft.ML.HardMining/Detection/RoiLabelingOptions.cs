namespace Microsoft.ML.HardMining.Detection;

/// <summary>How candidate boxes are labelled against ground truth and how their loss is computed.</summary>
/// <remarks>
/// Defaults follow Fast R-CNN / OHEM: positive at IoU ≥ 0.5; background below 0.3 here (OHEM used [0.1, 0.5)),
/// with [0.3, 0.5) ignored so that half-overlapping boxes are neither taught as faces nor as background.
/// Per-RoI loss = <c>-log p[label]</c> + <see cref="LocalizationWeight"/> · smooth-L1 of the Fast R-CNN box
/// targets (positives only): <c>((gx - px)/pw, (gy - py)/ph, log(gw/pw), log(gh/ph))</c>.
/// </remarks>
public sealed class RoiLabelingOptions
{
    /// <summary>Best IoU at or above which a candidate is <see cref="RoiLabel.Positive"/>. Default 0.5.</summary>
    public float PositiveIouThreshold { get; set; } = 0.5f;

    /// <summary>Best IoU below which a candidate is <see cref="RoiLabel.Negative"/>; between the two it is ignored. Default 0.3.</summary>
    public float NegativeIouThreshold { get; set; } = 0.3f;

    /// <summary>Weight of the localisation term in the per-RoI loss. Default 1.</summary>
    public double LocalizationWeight { get; set; } = 1.0;

    /// <summary>Transition point of the smooth-L1 loss (quadratic below, linear above). Default 1.</summary>
    public double SmoothL1Beta { get; set; } = 1.0;

    internal void Validate()
    {
        if (!(PositiveIouThreshold > 0 && PositiveIouThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(PositiveIouThreshold), PositiveIouThreshold, $"{nameof(RoiLabelingOptions)}.{nameof(PositiveIouThreshold)} must be in (0, 1], e.g. 0.5.");
        if (!(NegativeIouThreshold >= 0 && NegativeIouThreshold <= PositiveIouThreshold))
            throw new ArgumentOutOfRangeException(nameof(NegativeIouThreshold), NegativeIouThreshold, $"{nameof(RoiLabelingOptions)}.{nameof(NegativeIouThreshold)} must be in [0, {nameof(PositiveIouThreshold)}]; equal thresholds mean no ignore band.");
        if (!(LocalizationWeight >= 0 && double.IsFinite(LocalizationWeight)))
            throw new ArgumentOutOfRangeException(nameof(LocalizationWeight), LocalizationWeight, $"{nameof(RoiLabelingOptions)}.{nameof(LocalizationWeight)} must be a finite number >= 0.");
        if (!(SmoothL1Beta > 0 && double.IsFinite(SmoothL1Beta)))
            throw new ArgumentOutOfRangeException(nameof(SmoothL1Beta), SmoothL1Beta, $"{nameof(RoiLabelingOptions)}.{nameof(SmoothL1Beta)} must be a positive finite number.");
    }
}
