namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Order of the values of one image: planar (channels first) or interleaved (channels last).</summary>
/// <remarks>
/// ML.NET's <c>ExtractPixels</c> writes <see cref="Chw"/> by default and <see cref="Hwc"/> with
/// <c>interleavePixelColors: true</c>. Models usually take <c>NCHW</c> (PyTorch, Paddle) or <c>NHWC</c> (TensorFlow) tensors.
/// </remarks>
public enum OnnxImageLayout
{
    /// <summary>Channels, then rows, then columns (planar; model tensor <c>NCHW</c>).</summary>
    Chw = 0,

    /// <summary>Rows, then columns, then channels (interleaved; model tensor <c>NHWC</c>).</summary>
    Hwc = 1,
}
