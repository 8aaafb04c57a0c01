using SkiaSharp;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>An 8-bit RGB image held in memory (row-major, 3 bytes per pixel), loaded with SkiaSharp.</summary>
public sealed class RgbImage
{
    /// <summary>Wraps pixels (the array is used, not copied).</summary>
    /// <param name="width">Width, positive.</param>
    /// <param name="height">Height, positive.</param>
    /// <param name="pixels">RGB bytes, <c>width·height·3</c> long.</param>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive; got {width}x{height}.");
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"An RGB image of {width}x{height} needs {width * height * 3} bytes; got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>RGB bytes, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Loads a PNG / JPEG / BMP / WebP / GIF file (grayscale files become RGB).</summary>
    /// <param name="path">Image file.</param>
    /// <returns>The image.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a decodable image (the message names it).</exception>
    public static RgbImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        using var codec = SKCodec.Create(path)
            ?? throw new InvalidDataException($"Image file '{path}' could not be decoded (not a PNG/JPEG/BMP/WebP/GIF, or truncated). Remove it from the image list or re-export it.");
        var info = codec.Info.WithColorType(SKColorType.Rgba8888);
        if (info.AlphaType == SKAlphaType.Unpremul) info = info.WithAlphaType(SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        // SKBitmap.Decode returns a truncated file as a whole image with its missing rows black: a detector then mines them.
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"Image file '{path}' could not be fully decoded ({result}): it is truncated or damaged. Remove it from the image list or re-export it.");
        return FromBitmap(decoded, path);
    }

    /// <summary>Converts a SkiaSharp bitmap (any colour type) to RGB.</summary>
    /// <param name="bitmap">The bitmap.</param>
    /// <returns>The image.</returns>
    public static RgbImage FromBitmap(SKBitmap bitmap) => FromBitmap(bitmap, "bitmap");

    private static RgbImage FromBitmap(SKBitmap bitmap, string what)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.Width <= 0 || bitmap.Height <= 0)
            throw new InvalidDataException($"Image '{what}' is empty ({bitmap.Width}x{bitmap.Height}).");
        using var rgba = new SKBitmap(new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(rgba))
        {
            canvas.Clear(SKColors.Black);
            canvas.DrawBitmap(bitmap, 0, 0);
        }
        var src = rgba.GetPixelSpan();
        var rowBytes = rgba.RowBytes;
        var pixels = new byte[bitmap.Width * bitmap.Height * 3];
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0, i = y * rowBytes, j = y * bitmap.Width * 3; x < bitmap.Width; x++, i += 4, j += 3)
            {
                pixels[j] = src[i];
                pixels[j + 1] = src[i + 1];
                pixels[j + 2] = src[i + 2];
            }
        }
        return new RgbImage(bitmap.Width, bitmap.Height, pixels);
    }

    /// <summary>A copy of this image as an RGBA SkiaSharp bitmap (caller disposes).</summary>
    /// <returns>The bitmap.</returns>
    public SKBitmap ToBitmap()
    {
        var bmp = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var row = new byte[bmp.RowBytes];
        var basePtr = bmp.GetPixels();
        for (var y = 0; y < Height; y++)
        {
            for (int x = 0, j = y * Width * 3; x < Width; x++, j += 3)
            {
                row[4 * x] = Pixels[j];
                row[4 * x + 1] = Pixels[j + 1];
                row[4 * x + 2] = Pixels[j + 2];
                row[4 * x + 3] = 255;
            }
            System.Runtime.InteropServices.Marshal.Copy(row, 0, basePtr + y * bmp.RowBytes, row.Length);
        }
        bmp.NotifyPixelsChanged();
        return bmp;
    }

    /// <summary>
    /// Renders the image into a <paramref name="width"/>×<paramref name="height"/> canvas through an affine map
    /// <c>dst = src · scale + offset</c> (high-quality filtering, uncovered pixels set to <paramref name="pad"/>).
    /// </summary>
    /// <param name="width">Output width.</param>
    /// <param name="height">Output height.</param>
    /// <param name="scaleX">Horizontal scale.</param>
    /// <param name="scaleY">Vertical scale.</param>
    /// <param name="offsetX">Horizontal offset.</param>
    /// <param name="offsetY">Vertical offset.</param>
    /// <param name="pad">Grey level of uncovered pixels.</param>
    /// <returns>The rendered image.</returns>
    public RgbImage Render(int width, int height, float scaleX, float scaleY, float offsetX, float offsetY, byte pad = 0)
    {
        using var src = ToBitmap();
        using var dst = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(dst))
        using (var paint = new SKPaint { FilterQuality = SKFilterQuality.High, IsAntialias = true })
        {
            canvas.Clear(new SKColor(pad, pad, pad));
            canvas.DrawBitmap(src, new SKRect(offsetX, offsetY, offsetX + Width * scaleX, offsetY + Height * scaleY), paint);
        }
        return FromBitmap(dst, "rendered");
    }

    /// <summary>Renders the image into a detector input according to <paramref name="mapping"/>.</summary>
    /// <param name="mapping">The mapping (its original size must be this image's).</param>
    /// <param name="pad">Grey level of letterbox padding.</param>
    /// <returns>The input-sized image.</returns>
    public RgbImage Render(InputMapping mapping, byte pad = 0)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (mapping.Width != Width || mapping.Height != Height)
            throw new ArgumentException($"The mapping is for a {mapping.Width}x{mapping.Height} image but this one is {Width}x{Height}.", nameof(mapping));
        return Render(mapping.InputWidth, mapping.InputHeight, mapping.ScaleX, mapping.ScaleY, mapping.OffsetX, mapping.OffsetY, pad);
    }

    /// <summary>
    /// Crops <paramref name="box"/> and resizes it to <paramref name="width"/>×<paramref name="height"/> by
    /// supersampled bilinear interpolation (up to 4×4 samples per output pixel); the box may extend past the
    /// image, where the edge pixels are repeated.
    /// </summary>
    /// <param name="box">Region in this image's pixels, non-empty.</param>
    /// <param name="width">Output width.</param>
    /// <param name="height">Output height.</param>
    /// <returns>The crop.</returns>
    public RgbImage CropResize(BoundingBox box, int width, int height)
    {
        if (box.Width <= 0 || box.Height <= 0)
            throw new ArgumentException($"Cannot crop the empty box {box}.", nameof(box));
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Crop size must be positive; got {width}x{height}.");
        var stepX = box.Width / width;
        var stepY = box.Height / height;
        var kx = Math.Clamp((int)MathF.Ceiling(stepX), 1, 4);
        var ky = Math.Clamp((int)MathF.Ceiling(stepY), 1, 4);
        var output = new byte[width * height * 3];
        Span<float> acc = stackalloc float[3];
        for (var oy = 0; oy < height; oy++)
        {
            for (var ox = 0; ox < width; ox++)
            {
                acc.Clear();
                for (var sy = 0; sy < ky; sy++)
                {
                    var y = box.Y1 + (oy + (sy + 0.5f) / ky) * stepY - 0.5f;
                    for (var sx = 0; sx < kx; sx++)
                    {
                        var x = box.X1 + (ox + (sx + 0.5f) / kx) * stepX - 0.5f;
                        Bilinear(x, y, acc);
                    }
                }
                var o = (oy * width + ox) * 3;
                var inv = 1f / (kx * ky);
                for (var c = 0; c < 3; c++)
                    output[o + c] = (byte)Math.Clamp((int)MathF.Round(acc[c] * inv), 0, 255);
            }
        }
        return new RgbImage(width, height, output);
    }

    private void Bilinear(float x, float y, Span<float> acc)
    {
        x = Math.Clamp(x, 0f, Width - 1);
        y = Math.Clamp(y, 0f, Height - 1);
        var x0 = (int)x;
        var y0 = (int)y;
        var x1 = Math.Min(x0 + 1, Width - 1);
        var y1 = Math.Min(y0 + 1, Height - 1);
        float fx = x - x0, fy = y - y0;
        int p00 = (y0 * Width + x0) * 3, p01 = (y0 * Width + x1) * 3, p10 = (y1 * Width + x0) * 3, p11 = (y1 * Width + x1) * 3;
        for (var c = 0; c < 3; c++)
        {
            var top = Pixels[p00 + c] + (Pixels[p01 + c] - Pixels[p00 + c]) * fx;
            var bottom = Pixels[p10 + c] + (Pixels[p11 + c] - Pixels[p10 + c]) * fx;
            acc[c] += top + (bottom - top) * fy;
        }
    }

    /// <summary>Mean of R, G, B at each pixel, in [0, 1], row-major.</summary>
    /// <returns>A new array of <c>Width·Height</c> values.</returns>
    public float[] ToGray()
    {
        var g = new float[Width * Height];
        for (int i = 0, j = 0; i < g.Length; i++, j += 3)
            g[i] = (Pixels[j] + Pixels[j + 1] + Pixels[j + 2]) / (3f * 255f);
        return g;
    }
}
