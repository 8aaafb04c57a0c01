using System.Globalization;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// An axis-aligned box in pixel coordinates: left <see cref="X1"/>, top <see cref="Y1"/>,
/// right <see cref="X2"/>, bottom <see cref="Y2"/> (x grows to the right, y downwards).
/// </summary>
/// <remarks>
/// The constructor refuses NaN or infinite coordinates and inverted boxes (<c>x2 &lt; x1</c> or
/// <c>y2 &lt; y1</c>) with an <see cref="ArgumentException"/> that names the bad coordinate.
/// Empty boxes (zero width or height) are allowed; their IoU with anything is 0.
/// </remarks>
public readonly struct BoundingBox : IEquatable<BoundingBox>
{
    /// <summary>Creates a box from its corners; throws on NaN / infinite / inverted coordinates.</summary>
    /// <param name="x1">Left edge.</param>
    /// <param name="y1">Top edge.</param>
    /// <param name="x2">Right edge, at least <paramref name="x1"/>.</param>
    /// <param name="y2">Bottom edge, at least <paramref name="y1"/>.</param>
    public BoundingBox(float x1, float y1, float x2, float y2)
    {
        CheckFinite(x1, nameof(x1));
        CheckFinite(y1, nameof(y1));
        CheckFinite(x2, nameof(x2));
        CheckFinite(y2, nameof(y2));
        if (x2 < x1)
            throw new ArgumentException($"Inverted box: x2 ({x2.ToString(CultureInfo.InvariantCulture)}) < x1 ({x1.ToString(CultureInfo.InvariantCulture)}). Boxes are (x1, y1, x2, y2) corners, not (x, y, width, height).", nameof(x2));
        if (y2 < y1)
            throw new ArgumentException($"Inverted box: y2 ({y2.ToString(CultureInfo.InvariantCulture)}) < y1 ({y1.ToString(CultureInfo.InvariantCulture)}). Boxes are (x1, y1, x2, y2) corners, not (x, y, width, height).", nameof(y2));
        X1 = x1;
        Y1 = y1;
        X2 = x2;
        Y2 = y2;
    }

    /// <summary>Left edge.</summary>
    public float X1 { get; }

    /// <summary>Top edge.</summary>
    public float Y1 { get; }

    /// <summary>Right edge.</summary>
    public float X2 { get; }

    /// <summary>Bottom edge.</summary>
    public float Y2 { get; }

    /// <summary>Width (<c>X2 - X1</c>).</summary>
    public float Width => X2 - X1;

    /// <summary>Height (<c>Y2 - Y1</c>).</summary>
    public float Height => Y2 - Y1;

    /// <summary>Area (<c>Width * Height</c>).</summary>
    public float Area => (X2 - X1) * (Y2 - Y1);

    /// <summary>Horizontal centre.</summary>
    public float CenterX => 0.5f * (X1 + X2);

    /// <summary>Vertical centre.</summary>
    public float CenterY => 0.5f * (Y1 + Y2);

    /// <summary>Creates a box from its centre and size.</summary>
    /// <param name="centerX">Horizontal centre.</param>
    /// <param name="centerY">Vertical centre.</param>
    /// <param name="width">Width, not negative.</param>
    /// <param name="height">Height, not negative.</param>
    /// <returns>The box.</returns>
    public static BoundingBox FromCenter(float centerX, float centerY, float width, float height)
        => new(centerX - 0.5f * width, centerY - 0.5f * height, centerX + 0.5f * width, centerY + 0.5f * height);

    /// <summary>Reads a box from a 4-element array <c>[x1, y1, x2, y2]</c>.</summary>
    /// <param name="corners">Exactly four values.</param>
    /// <returns>The box.</returns>
    public static BoundingBox FromArray(ReadOnlySpan<float> corners)
    {
        if (corners.Length != 4)
            throw new ArgumentException($"A box needs exactly 4 values [x1, y1, x2, y2]; got {corners.Length}.", nameof(corners));
        return new BoundingBox(corners[0], corners[1], corners[2], corners[3]);
    }

    /// <summary>The corners as a new array <c>[x1, y1, x2, y2]</c>.</summary>
    /// <returns>A new 4-element array.</returns>
    public float[] ToArray() => [X1, Y1, X2, Y2];

    /// <summary>Intersection over union with another box (0 when either is empty or they do not overlap).</summary>
    /// <param name="other">The other box.</param>
    /// <returns>IoU in [0, 1].</returns>
    public float IoU(BoundingBox other) => BoxMath.IoU(X1, Y1, X2, Y2, other.X1, other.Y1, other.X2, other.Y2);

    /// <summary>The box clipped to the image <c>[0, width] x [0, height]</c>.</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <returns>The clipped box (possibly empty).</returns>
    public BoundingBox Clip(float width, float height)
    {
        var x1 = Math.Clamp(X1, 0f, width);
        var y1 = Math.Clamp(Y1, 0f, height);
        var x2 = Math.Clamp(X2, 0f, width);
        var y2 = Math.Clamp(Y2, 0f, height);
        return new BoundingBox(x1, y1, Math.Max(x1, x2), Math.Max(y1, y2));
    }

    /// <summary>Whether the box lies entirely inside <c>[0, width] x [0, height]</c>.</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <returns><see langword="true"/> when no clipping is needed.</returns>
    public bool IsInside(float width, float height) => X1 >= 0 && Y1 >= 0 && X2 <= width && Y2 <= height;

    /// <summary>The box scaled about its centre by <paramref name="factor"/>.</summary>
    /// <param name="factor">Scale factor, positive.</param>
    /// <returns>The scaled box.</returns>
    public BoundingBox Expand(float factor)
    {
        if (!(factor > 0) || float.IsInfinity(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The expansion factor must be a positive finite number.");
        return FromCenter(CenterX, CenterY, Width * factor, Height * factor);
    }

    /// <inheritdoc />
    public bool Equals(BoundingBox other) => X1.Equals(other.X1) && Y1.Equals(other.Y1) && X2.Equals(other.X2) && Y2.Equals(other.Y2);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BoundingBox b && Equals(b);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(X1, Y1, X2, Y2);

    /// <summary>Equality of all four coordinates.</summary>
    /// <param name="left">A box.</param>
    /// <param name="right">Another box.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(BoundingBox left, BoundingBox right) => left.Equals(right);

    /// <summary>Inequality of any coordinate.</summary>
    /// <param name="left">A box.</param>
    /// <param name="right">Another box.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(BoundingBox left, BoundingBox right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"[{X1:0.##}, {Y1:0.##}, {X2:0.##}, {Y2:0.##}]");

    private static void CheckFinite(float value, string name)
    {
        if (!float.IsFinite(value))
            throw new ArgumentException($"Box coordinate {name} is {value.ToString(CultureInfo.InvariantCulture)}; every coordinate must be a finite number (check the detector output or the ground-truth file).", name);
    }
}
