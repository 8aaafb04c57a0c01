using Microsoft.ML.HardMining.Cli.Infrastructure;
using Microsoft.ML.HardMining.Detection;
using SkiaSharp;

namespace Microsoft.ML.HardMining.Cli.Plots;

/// <summary>One tile of a <see cref="CropGrid"/>: an image, the box to show in it, and a caption.</summary>
/// <param name="Image">The whole image the box lies in.</param>
/// <param name="Box">The box, in the image's pixels.</param>
/// <param name="Caption">One short line under the tile (e.g. the image id and the loss).</param>
public sealed record CropTile(RgbImage Image, BoundingBox Box, string Caption);

/// <summary>A PNG grid of image crops, e.g. the hardest false positives an OHEM run mined from a detector's candidates.</summary>
/// <remarks>
/// Each tile shows a square window around its box (the box's longer side times <c>context</c>, centred on the box; parts
/// outside the image are grey) scaled to the tile, with the box outlined in red and the caption below.
/// The file is written atomically (temporary file, then move).
/// </remarks>
public static class CropGrid
{
    private const int CaptionHeight = 20;
    private const int TitleHeight = 30;
    private const int Gap = 6;

    /// <summary>Writes the tiles, row by row, as a PNG.</summary>
    /// <param name="path">The PNG file; its folder is created if missing.</param>
    /// <param name="tiles">The tiles, in reading order.</param>
    /// <param name="title">A title line above the grid.</param>
    /// <param name="columns">Tiles per row.</param>
    /// <param name="tileSize">The side of a tile in pixels.</param>
    /// <param name="context">The window's side as a multiple of the box's longer side (1 = the box only).</param>
    /// <returns>The file written.</returns>
    public static string Write(string path, IReadOnlyList<CropTile> tiles, string title, int columns = 4, int tileSize = 200, float context = 1.6f)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(title);
        if (tiles.Count == 0) throw new ArgumentException("No tiles to draw: give at least one crop.", nameof(tiles));
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1f);

        var rows = (tiles.Count + columns - 1) / columns;
        var cols = Math.Min(columns, tiles.Count);
        var width = Gap + cols * (tileSize + Gap);
        var height = TitleHeight + rows * (tileSize + CaptionHeight + Gap) + Gap;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 12, Typeface = SKTypeface.Default };
        using var titlePaint = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 16, Typeface = SKTypeface.Default };
        using var outline = new SKPaint { Color = SKColors.Red, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true };
        using var pad = new SKPaint { Color = new SKColor(128, 128, 128) };
        using var sampling = new SKPaint { FilterQuality = SKFilterQuality.High, IsAntialias = true };
        canvas.DrawText(Fit(title, titlePaint, width - 2 * Gap), Gap, TitleHeight - 10, titlePaint);

        var bitmaps = new Dictionary<RgbImage, SKBitmap>(ReferenceEqualityComparer.Instance);
        try
        {
            for (var i = 0; i < tiles.Count; i++)
            {
                var tile = tiles[i];
                if (!bitmaps.TryGetValue(tile.Image, out var bitmap)) bitmaps[tile.Image] = bitmap = tile.Image.ToBitmap();
                var x0 = Gap + (i % columns) * (tileSize + Gap);
                var y0 = TitleHeight + (i / columns) * (tileSize + CaptionHeight + Gap);
                var side = Math.Max(1f, Math.Max(tile.Box.Width, tile.Box.Height) * context);
                var window = SKRect.Create(tile.Box.CenterX - side / 2, tile.Box.CenterY - side / 2, side, side);
                var scale = tileSize / side;
                var cell = SKRect.Create(x0, y0, tileSize, tileSize);
                canvas.DrawRect(cell, pad);
                // Only the part of the window inside the image is drawn; the rest stays grey.
                var inside = SKRect.Intersect(window, SKRect.Create(0, 0, bitmap.Width, bitmap.Height));
                if (!inside.IsEmpty)
                {
                    var dest = SKRect.Create(x0 + (inside.Left - window.Left) * scale, y0 + (inside.Top - window.Top) * scale, inside.Width * scale, inside.Height * scale);
                    canvas.DrawBitmap(bitmap, inside, dest, sampling);
                }
                canvas.DrawRect(SKRect.Create(x0 + (tile.Box.X1 - window.Left) * scale, y0 + (tile.Box.Y1 - window.Top) * scale, tile.Box.Width * scale, tile.Box.Height * scale), outline);
                canvas.DrawText(Fit(tile.Caption, text, tileSize), x0, y0 + tileSize + CaptionHeight - 5, text);
            }
        }
        finally
        {
            foreach (var b in bitmaps.Values) b.Dispose();
        }

        var full = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Crop grid folder for '{path}' cannot be created: {e.Message}", e);
        }
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAll([(full, "crop grid", s => png.SaveTo(s))]);
        return full;
    }

    /// <summary>The text, shortened with an ellipsis until it fits the width.</summary>
    private static string Fit(string value, SKPaint paint, float width)
    {
        if (paint.MeasureText(value) <= width) return value;
        for (var n = value.Length - 1; n > 0; n--)
        {
            var shortened = value[..n] + "…";
            if (paint.MeasureText(shortened) <= width) return shortened;
        }
        return "…";
    }
}
