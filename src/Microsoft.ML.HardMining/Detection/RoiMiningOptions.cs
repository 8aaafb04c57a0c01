namespace Microsoft.ML.HardMining.Detection;

/// <summary>Per-image OHEM options (TensorFlow Object Detection API <c>HardExampleMiner</c> semantics).</summary>
/// <remarks>
/// Per image: rank the candidates by loss, drop any candidate overlapping a harder one above
/// <see cref="NmsIouThreshold"/>, keep the first <see cref="RoisPerImage"/>, then keep every positive and the first
/// <c>max(MinNegativesPerImage, NegativesPerPositive · positives)</c> negatives (only when
/// <see cref="NegativesPerPositive"/> &gt; 0). Rows in the ignore band are never mined (TF gives them zero loss weight).
/// </remarks>
public sealed class RoiMiningOptions
{
    /// <summary>OHEM's B/N: the most RoIs kept per image after NMS; 0 keeps all. Default 64 (the OHEM reference code).</summary>
    public int RoisPerImage { get; set; } = 64;

    /// <summary>NMS by loss: a candidate overlapping a harder kept one above this IoU is dropped. Default 0.7.</summary>
    public float NmsIouThreshold { get; set; } = 0.7f;

    /// <summary>At most this many negatives per kept positive in an image; 0 = no cap (TF default). SSD uses 3.</summary>
    public double NegativesPerPositive { get; set; }

    /// <summary>Negatives kept per image whatever the ratio, so background-only images still give negatives. Default 0.</summary>
    public int MinNegativesPerImage { get; set; }

    internal void Validate()
    {
        if (RoisPerImage < 0)
            throw new ArgumentOutOfRangeException(nameof(RoisPerImage), RoisPerImage, $"{nameof(RoiMiningOptions)}.{nameof(RoisPerImage)} must be >= 0 (0 keeps all).");
        if (!(NmsIouThreshold > 0 && NmsIouThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(NmsIouThreshold), NmsIouThreshold, $"{nameof(RoiMiningOptions)}.{nameof(NmsIouThreshold)} must be in (0, 1], e.g. 0.7.");
        if (!(NegativesPerPositive >= 0 && double.IsFinite(NegativesPerPositive)))
            throw new ArgumentOutOfRangeException(nameof(NegativesPerPositive), NegativesPerPositive, $"{nameof(RoiMiningOptions)}.{nameof(NegativesPerPositive)} must be >= 0 (0 = no cap).");
        if (MinNegativesPerImage < 0)
            throw new ArgumentOutOfRangeException(nameof(MinNegativesPerImage), MinNegativesPerImage, $"{nameof(RoiMiningOptions)}.{nameof(MinNegativesPerImage)} must be >= 0.");
    }
}
