namespace Microsoft.ML.HardMining.Detection;

/// <summary>Memory layout of an image input tensor.</summary>
public enum ImageTensorLayout
{
    /// <summary><c>[1, H, W, 3]</c> (TensorFlow / MediaPipe exports).</summary>
    Nhwc,

    /// <summary><c>[1, 3, H, W]</c> (PyTorch exports).</summary>
    Nchw,
}

/// <summary>Options of an <see cref="OnnxDetector"/>.</summary>
public sealed class OnnxDetectorOptions
{
    /// <summary>The decoder matching the model outputs (required).</summary>
    public IDetectionDecoder? Decoder { get; set; }

    /// <summary>Image input name; <see langword="null"/> (default) = the model's only input.</summary>
    public string? InputName { get; set; }

    /// <summary>Input tensor layout. Default <see cref="ImageTensorLayout.Nhwc"/>.</summary>
    public ImageTensorLayout Layout { get; set; } = ImageTensorLayout.Nhwc;

    /// <summary>Input width when the model's is dynamic; default <see langword="null"/> = read from the model.</summary>
    public int? InputWidth { get; set; }

    /// <summary>Input height when the model's is dynamic; default <see langword="null"/> = read from the model.</summary>
    public int? InputHeight { get; set; }

    /// <summary>Each RGB byte v becomes <c>v · PixelScale + PixelOffset</c>. Default <c>2/255</c> (with offset -1: range [-1, 1], BlazeFace).</summary>
    public float PixelScale { get; set; } = 2f / 255f;

    /// <summary>See <see cref="PixelScale"/>. Default -1.</summary>
    public float PixelOffset { get; set; } = -1f;

    /// <summary>How the image is fitted to the input. Default <see cref="ImageFitMode.Stretch"/>.</summary>
    public ImageFitMode FitMode { get; set; } = ImageFitMode.Stretch;

    /// <summary>Grey level (0..255) of letterbox padding. Default 0.</summary>
    public byte PadValue { get; set; }

    /// <summary>Candidates scoring below this are dropped by the decoder. Default 0.1.</summary>
    public float MinScore { get; set; } = 0.1f;

    /// <summary>
    /// Pre-NMS top-k cap: at most this many candidates (the highest scoring; ties by output order) go on
    /// to NMS; the rest are counted in <see cref="DetectionResult.DroppedByTopK"/>. Default 1000.
    /// </summary>
    public int MaxCandidatesBeforeNms { get; set; } = 1000;

    /// <summary>NMS IoU threshold on the decoded boxes; <see langword="null"/> = no NMS. Default 0.3 (MediaPipe's face setting).</summary>
    public float? NmsIouThreshold { get; set; } = 0.3f;

    /// <summary>Threads ONNX Runtime may use inside one run. Default 1.</summary>
    public int IntraOpThreads { get; set; } = 1;

    internal OnnxDetectorOptions Clone() => (OnnxDetectorOptions)MemberwiseClone();

    /// <summary>Checks every option alone, naming the one out of range, before the model is opened.</summary>
    internal void Validate()
    {
        Require(MaxCandidatesBeforeNms > 0, nameof(MaxCandidatesBeforeNms), "use a positive cap such as 1000");
        Require(NmsIouThreshold is null || (NmsIouThreshold >= 0 && NmsIouThreshold <= 1), nameof(NmsIouThreshold), "use an IoU in [0, 1] such as 0.3, or null for no NMS");
        Require(InputWidth is null || InputWidth > 0, nameof(InputWidth), "use a positive width, or null to read it from the model");
        Require(InputHeight is null || InputHeight > 0, nameof(InputHeight), "use a positive height, or null to read it from the model");
        Require(float.IsFinite(PixelScale) && float.IsFinite(PixelOffset), nameof(PixelScale), "use finite numbers, e.g. 2/255 and -1 for the range [-1, 1]");
        Require(!float.IsNaN(MinScore), nameof(MinScore), "use a score such as 0.1");
        Require(Enum.IsDefined(Layout), nameof(Layout), $"use one of {string.Join(", ", Enum.GetNames<ImageTensorLayout>())}");
        Require(Enum.IsDefined(FitMode), nameof(FitMode), $"use one of {string.Join(", ", Enum.GetNames<ImageFitMode>())}");
    }

    private static void Require(bool condition, string option, string advice)
    {
        if (!condition)
            throw new ArgumentOutOfRangeException(option, $"{nameof(OnnxDetectorOptions)}.{option} is out of range: {advice}.");
    }
}
