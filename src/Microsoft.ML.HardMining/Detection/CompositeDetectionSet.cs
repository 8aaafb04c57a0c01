using System.Globalization;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// Builds a detection set with exact boxes from real parts: real object crops (e.g. faces) pasted at random
/// positions and scales onto real photographs, plus unlabelled distractor crops pasted the same way.
/// </summary>
/// <remarks>
/// No public registry ships real images with ground-truth boxes; this is the honest substitute. The ground-truth box
/// of a pasted object is the pasted rectangle. Distractors are pasted exactly like objects (same soft edges, same
/// grey conversion when the crops are grey) so that a classifier cannot tell objects by the pasting alone. Pasted
/// crops never overlap each other. Split train/test by background, never by composite.
/// </remarks>
public static class CompositeDetectionSet
{
    /// <summary>Composes the set.</summary>
    /// <param name="backgrounds">Named real photographs (names become image-id prefixes; they must hold no unlabelled objects).</param>
    /// <param name="objects">Object crops; each pasted one gets a ground-truth box.</param>
    /// <param name="distractors">Crops pasted without a box (may be empty).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <returns>The labelled images, background by background.</returns>
    public static IReadOnlyList<LabeledImage> Compose(IReadOnlyList<(string Name, RgbImage Image)> backgrounds, IReadOnlyList<RgbImage> objects, IReadOnlyList<RgbImage> distractors, CompositeSetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backgrounds);
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(distractors);
        options ??= new CompositeSetOptions();
        if (objects.Count == 0)
            throw new ArgumentException("At least one object crop is needed.", nameof(objects));
        // Each option is named: MaxSide <= 0 made 1x1 backgrounds, a negative count made no image, without a word.
        if (options.MinObjects < 0 || options.MaxObjects < options.MinObjects)
            throw new ArgumentOutOfRangeException(nameof(CompositeSetOptions.MinObjects), "CompositeSetOptions needs 0 <= MinObjects <= MaxObjects.");
        if (options.MaxDistractors < 0)
            throw new ArgumentOutOfRangeException(nameof(CompositeSetOptions.MaxDistractors), options.MaxDistractors, "CompositeSetOptions.MaxDistractors must be 0 or more.");
        if (!(options.MinScale > 0 && options.MaxScale >= options.MinScale && options.MaxScale < 1))
            throw new ArgumentOutOfRangeException(nameof(CompositeSetOptions.MinScale), "CompositeSetOptions needs 0 < MinScale <= MaxScale < 1.");
        if (options.MaxSide < 16)
            throw new ArgumentOutOfRangeException(nameof(CompositeSetOptions.MaxSide), options.MaxSide, "CompositeSetOptions.MaxSide must be at least 16 pixels, e.g. 512.");
        if (options.ImagesPerBackground < 0)
            throw new ArgumentOutOfRangeException(nameof(CompositeSetOptions.ImagesPerBackground), options.ImagesPerBackground, "CompositeSetOptions.ImagesPerBackground must be 0 or more.");
        if (!(options.Feather >= 0 && options.Feather <= 0.5f))
            throw new ArgumentOutOfRangeException(nameof(CompositeSetOptions.Feather), options.Feather, "CompositeSetOptions.Feather must be in [0, 0.5], e.g. 0.12.");
        var rng = new Random(options.Seed);
        var result = new List<LabeledImage>();
        foreach (var (name, original) in backgrounds)
        {
            var scale = Math.Min(1f, (float)options.MaxSide / Math.Max(original.Width, original.Height));
            var background = scale < 1f
                ? original.CropResize(new BoundingBox(0, 0, original.Width, original.Height), Math.Max(1, (int)Math.Round(original.Width * scale)), Math.Max(1, (int)Math.Round(original.Height * scale)))
                : original;
            if (options.IncludePlainBackground)
                result.Add(new LabeledImage(name, background));
            for (var k = 0; k < options.ImagesPerBackground; k++)
            {
                var pixels = (byte[])background.Pixels.Clone();
                var canvas = new RgbImage(background.Width, background.Height, pixels);
                var placed = new List<BoundingBox>();
                var truth = new List<BoundingBox>();
                var objectCount = rng.Next(options.MinObjects, options.MaxObjects + 1);
                var distractorCount = distractors.Count == 0 ? 0 : rng.Next(0, options.MaxDistractors + 1);
                for (var p = 0; p < objectCount + distractorCount; p++)
                {
                    var isObject = p < objectCount;
                    var crop = isObject ? objects[rng.Next(objects.Count)] : distractors[rng.Next(distractors.Count)];
                    var longSide = Math.Max(background.Width, background.Height);
                    var side = (options.MinScale + (float)rng.NextDouble() * (options.MaxScale - options.MinScale)) * longSide;
                    var w = side;
                    var h = side * crop.Height / crop.Width;
                    if (w >= background.Width || h >= background.Height)
                        continue;
                    for (var attempt = 0; attempt < 30; attempt++)
                    {
                        var x = (float)Math.Floor(rng.NextDouble() * (background.Width - w));
                        var y = (float)Math.Floor(rng.NextDouble() * (background.Height - h));
                        var box = new BoundingBox(x, y, x + (float)Math.Round(w), y + (float)Math.Round(h));
                        if (placed.Any(b => b.Expand(1.1f).IoU(box) > 0))
                            continue;
                        Paste(canvas, crop, box, options.Feather, flip: rng.NextDouble() < 0.5);
                        placed.Add(box);
                        if (isObject)
                            truth.Add(box);
                        break;
                    }
                }
                result.Add(new LabeledImage(string.Create(CultureInfo.InvariantCulture, $"{name}#{k}"), canvas, truth));
            }
        }
        return result;
    }

    /// <summary>Pastes <paramref name="crop"/> into <paramref name="box"/> of <paramref name="canvas"/> with a soft edge.</summary>
    private static void Paste(RgbImage canvas, RgbImage crop, BoundingBox box, float feather, bool flip)
    {
        var w = (int)box.Width;
        var h = (int)box.Height;
        var resized = crop.CropResize(new BoundingBox(0, 0, crop.Width, crop.Height), w, h);
        var edge = Math.Max(1f, feather * Math.Min(w, h));
        int x0 = (int)box.X1, y0 = (int)box.Y1;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var d = Math.Min(Math.Min(x + 0.5f, w - x - 0.5f), Math.Min(y + 0.5f, h - y - 0.5f));
                var alpha = Math.Clamp(d / edge, 0f, 1f);
                var sx = flip ? w - 1 - x : x;
                var s = (y * w + sx) * 3;
                var t = ((y0 + y) * canvas.Width + x0 + x) * 3;
                for (var c = 0; c < 3; c++)
                    canvas.Pixels[t + c] = (byte)Math.Round(canvas.Pixels[t + c] * (1 - alpha) + resized.Pixels[s + c] * alpha);
            }
        }
    }
}
