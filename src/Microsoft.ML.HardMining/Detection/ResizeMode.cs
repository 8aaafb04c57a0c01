namespace Microsoft.ML.HardMining.Detection;

/// <summary>How an image is fitted to a detector's fixed input size.</summary>
public enum ImageFitMode
{
    /// <summary>Resize both axes independently to the input size (aspect ratio not kept).</summary>
    Stretch,

    /// <summary>Scale to fit inside the input keeping the aspect ratio, centre, pad the rest.</summary>
    Letterbox,

    /// <summary>Scale to cover the input keeping the aspect ratio, centre, crop the overflow.</summary>
    CenterCrop,
}
