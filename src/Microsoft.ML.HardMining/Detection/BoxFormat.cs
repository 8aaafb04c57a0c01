namespace Microsoft.ML.HardMining.Detection;

/// <summary>How four box numbers are laid out in a detector output.</summary>
public enum BoxFormat
{
    /// <summary><c>x1, y1, x2, y2</c> (torchvision).</summary>
    XYXY,

    /// <summary><c>y1, x1, y2, x2</c> (TensorFlow Object Detection API).</summary>
    YXYX,

    /// <summary><c>centre x, centre y, width, height</c> (YOLO).</summary>
    CXCYWH,
}

/// <summary>Converts four numbers in a <see cref="BoxFormat"/> to a <see cref="BoundingBox"/>.</summary>
internal static class BoxFormats
{
    public static BoundingBox ToBox(BoxFormat format, float a, float b, float c, float d, float scaleX, float scaleY)
    {
        switch (format)
        {
            case BoxFormat.XYXY:
                return new BoundingBox(a * scaleX, b * scaleY, c * scaleX, d * scaleY);
            case BoxFormat.YXYX:
                return new BoundingBox(b * scaleX, a * scaleY, d * scaleX, c * scaleY);
            case BoxFormat.CXCYWH:
                return BoundingBox.FromCenter(a * scaleX, b * scaleY, MathF.Max(0f, c) * scaleX, MathF.Max(0f, d) * scaleY);
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown box format.");
        }
    }
}
