namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// The affine map between an original image and a detector's input:
/// <c>input = original · scale + offset</c> on each axis; boxes map back with <see cref="ToOriginal"/>.
/// </summary>
/// <remarks>
/// <see cref="ImageFitMode.Stretch"/>: scales <c>inW/W</c>, <c>inH/H</c>, no offset.
/// <see cref="ImageFitMode.Letterbox"/>: one scale <c>min(inW/W, inH/H)</c>, content centred (positive offset = padding).
/// <see cref="ImageFitMode.CenterCrop"/>: one scale <c>max(inW/W, inH/H)</c>, centred (negative offset = cropped margin).
/// Boxes mapped back to the original are clipped to the image by <see cref="ToOriginal"/>.
/// </remarks>
public sealed class InputMapping
{
    /// <summary>Computes the mapping of a <paramref name="width"/>×<paramref name="height"/> image into an input of the given size.</summary>
    /// <param name="width">Original width, positive.</param>
    /// <param name="height">Original height, positive.</param>
    /// <param name="inputWidth">Model input width, positive.</param>
    /// <param name="inputHeight">Model input height, positive.</param>
    /// <param name="mode">How the image is fitted.</param>
    public InputMapping(int width, int height, int inputWidth, int inputHeight, ImageFitMode mode)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive; got {width}x{height}.");
        if (inputWidth <= 0 || inputHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputWidth), $"Input size must be positive; got {inputWidth}x{inputHeight}.");
        Width = width;
        Height = height;
        InputWidth = inputWidth;
        InputHeight = inputHeight;
        Mode = mode;
        float sx = (float)inputWidth / width, sy = (float)inputHeight / height;
        switch (mode)
        {
            case ImageFitMode.Stretch:
                ScaleX = sx;
                ScaleY = sy;
                break;
            case ImageFitMode.Letterbox:
                ScaleX = ScaleY = Math.Min(sx, sy);
                break;
            case ImageFitMode.CenterCrop:
                ScaleX = ScaleY = Math.Max(sx, sy);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown fit mode.");
        }
        OffsetX = 0.5f * (inputWidth - width * ScaleX);
        OffsetY = 0.5f * (inputHeight - height * ScaleY);
    }

    /// <summary>Original width.</summary>
    public int Width { get; }

    /// <summary>Original height.</summary>
    public int Height { get; }

    /// <summary>Input width.</summary>
    public int InputWidth { get; }

    /// <summary>Input height.</summary>
    public int InputHeight { get; }

    /// <summary>Fit mode.</summary>
    public ImageFitMode Mode { get; }

    /// <summary>Horizontal scale original → input.</summary>
    public float ScaleX { get; }

    /// <summary>Vertical scale original → input.</summary>
    public float ScaleY { get; }

    /// <summary>Horizontal offset in input pixels.</summary>
    public float OffsetX { get; }

    /// <summary>Vertical offset in input pixels.</summary>
    public float OffsetY { get; }

    /// <summary>Maps a box from original-image to input coordinates (not clipped).</summary>
    /// <param name="box">Box in the original image.</param>
    /// <returns>Box in the model input.</returns>
    public BoundingBox ToInput(BoundingBox box)
        => new(box.X1 * ScaleX + OffsetX, box.Y1 * ScaleY + OffsetY, box.X2 * ScaleX + OffsetX, box.Y2 * ScaleY + OffsetY);

    /// <summary>Maps a box from input to original-image coordinates, clipped to the image.</summary>
    /// <param name="box">Box in the model input.</param>
    /// <returns>Box in the original image.</returns>
    public BoundingBox ToOriginal(BoundingBox box) => ToOriginalUnclipped(box).Clip(Width, Height);

    /// <summary>Maps a box from input to original-image coordinates without clipping.</summary>
    /// <param name="box">Box in the model input.</param>
    /// <returns>Box in the original image frame.</returns>
    public BoundingBox ToOriginalUnclipped(BoundingBox box)
        => new((box.X1 - OffsetX) / ScaleX, (box.Y1 - OffsetY) / ScaleY, (box.X2 - OffsetX) / ScaleX, (box.Y2 - OffsetY) / ScaleY);
}
