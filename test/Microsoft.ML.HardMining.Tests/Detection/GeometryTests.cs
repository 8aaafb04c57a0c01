using Microsoft.ML.HardMining.Detection;

namespace Microsoft.ML.HardMining.Tests.Detection;

[TestClass]
public sealed class GeometryTests
{
    [TestMethod]
    public void BoxRejectsNaNAndInvertedCoordinatesWithClearMessages()
    {
        var nan = Assert.ThrowsExactly<ArgumentException>(() => new BoundingBox(float.NaN, 0, 1, 1));
        StringAssert.Contains(nan.Message, "x1");
        StringAssert.Contains(nan.Message, "finite");
        var inverted = Assert.ThrowsExactly<ArgumentException>(() => new BoundingBox(5, 0, 2, 1));
        StringAssert.Contains(inverted.Message, "x2 (2) < x1 (5)");
        Assert.ThrowsExactly<ArgumentException>(() => new BoundingBox(0, 3, 1, 1));
        Assert.ThrowsExactly<ArgumentException>(() => new BoundingBox(0, 0, float.PositiveInfinity, 1));
        Assert.ThrowsExactly<ArgumentException>(() => BoundingBox.FromArray([1f, 2f, 3f]));
    }

    [TestMethod]
    public void IoUMatchesHandComputedValues()
    {
        var a = new BoundingBox(0, 0, 2, 2);
        Assert.AreEqual(1f / 7f, a.IoU(new BoundingBox(1, 1, 3, 3)), 1e-6f);
        Assert.AreEqual(1f, a.IoU(a), 1e-6f);
        Assert.AreEqual(0f, a.IoU(new BoundingBox(2, 0, 4, 2)));
        Assert.AreEqual(0.5f, a.IoU(new BoundingBox(0, 0, 2, 1)), 1e-6f);
        Assert.AreEqual(0f, new BoundingBox(1, 1, 1, 1).IoU(new BoundingBox(1, 1, 1, 1)), "empty boxes have IoU 0");
        Assert.AreEqual(new BoundingBox(0, 0, 10, 5), new BoundingBox(-3, -1, 12, 5).Clip(10, 5));
    }

    [TestMethod]
    public void NmsHandExampleKeepsBestAndNonOverlapping()
    {
        var boxes = new[] { new BoundingBox(0, 0, 10, 10), new BoundingBox(1, 1, 11, 11), new BoundingBox(20, 20, 30, 30), new BoundingBox(0, 0, 10, 10) };
        var scores = new double[] { 0.8, 0.9, 0.1, 0.9 };
        // 1 (0.9, lower index than 3) kept; 3 overlaps 1 by 81/119 = 0.68 > 0.5; 0 overlaps 1 likewise; 2 kept.
        CollectionAssert.AreEqual(new[] { 1, 2 }, Nms.Greedy(boxes, scores, 0.5f));
        CollectionAssert.AreEqual(new[] { 1, 3, 2 }, Nms.Greedy(boxes, scores, 0.7f));
        CollectionAssert.AreEqual(new[] { 1 }, Nms.Greedy(boxes, scores, 0.5f, maxKeep: 1));
    }

    [TestMethod]
    public void FastNmsEqualsReferenceOnRandomBoxes()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var rng = new Random(seed);
            var n = rng.Next(0, 300);
            var boxes = new BoundingBox[n];
            var scores = new double[n];
            for (var i = 0; i < n; i++)
            {
                var x = (float)rng.NextDouble() * 200;
                var y = (float)rng.NextDouble() * 200;
                boxes[i] = new BoundingBox(x, y, x + (float)rng.NextDouble() * 60, y + (float)rng.NextDouble() * 60);
                // Quantised scores so that ties occur and tie-breaking is tested too.
                scores[i] = Math.Round(rng.NextDouble() * 20) / 20;
            }
            foreach (var t in new[] { 0f, 0.3f, 0.5f, 0.7f, 1f })
            {
                var maxKeep = seed % 3 == 0 ? 10 : int.MaxValue;
                CollectionAssert.AreEqual(Nms.GreedyReference(boxes, scores, t, maxKeep), Nms.Greedy(boxes, scores, t, maxKeep), $"seed {seed}, IoU {t}");
            }
        }
    }

    [TestMethod]
    public void NmsRejectsBadArguments()
    {
        var boxes = new[] { new BoundingBox(0, 0, 1, 1) };
        Assert.ThrowsExactly<ArgumentException>(() => Nms.Greedy(boxes, [0.1, 0.2], 0.5f));
        Assert.ThrowsExactly<ArgumentException>(() => Nms.Greedy(boxes, [double.NaN], 0.5f));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Nms.Greedy(boxes, [0.1], 1.5f));
    }

    [TestMethod]
    public void InputMappingMatchesHandComputedLetterboxAndCropAndRoundTrips()
    {
        // 400x200 into 100x100.
        var letter = new InputMapping(400, 200, 100, 100, ImageFitMode.Letterbox);
        Assert.AreEqual(0.25f, letter.ScaleX);
        Assert.AreEqual(25f, letter.OffsetY); // content 100x50, centred vertically
        Assert.AreEqual(new BoundingBox(0, 25, 100, 75), letter.ToInput(new BoundingBox(0, 0, 400, 200)));
        var crop = new InputMapping(400, 200, 100, 100, ImageFitMode.CenterCrop);
        Assert.AreEqual(0.5f, crop.ScaleX);
        Assert.AreEqual(-50f, crop.OffsetX); // content 200x100, 50 px cropped each side
        Assert.AreEqual(new BoundingBox(100, 0, 300, 200), crop.ToOriginal(new BoundingBox(0, 0, 100, 100)));
        var stretch = new InputMapping(400, 200, 100, 100, ImageFitMode.Stretch);
        Assert.AreEqual(new BoundingBox(40, 20, 80, 60), stretch.ToInput(new BoundingBox(160, 40, 320, 120)));

        var rng = new Random(3);
        foreach (var m in new[] { letter, crop, stretch })
        {
            for (var i = 0; i < 50; i++)
            {
                var x = (float)rng.NextDouble() * 300;
                var y = (float)rng.NextDouble() * 150;
                var b = new BoundingBox(x, y, x + 50, y + 30);
                var back = m.ToOriginalUnclipped(m.ToInput(b));
                Assert.AreEqual(b.X1, back.X1, 1e-3f);
                Assert.AreEqual(b.Y2, back.Y2, 1e-3f);
            }
        }
        // Boxes mapped back are clipped to the image (a crop's margin or letterbox padding).
        Assert.AreEqual(new BoundingBox(0, 0, 400, 200), letter.ToOriginal(new BoundingBox(-10, 0, 110, 100)));
    }

    [TestMethod]
    public void RenderedInputPutsPixelsWhereTheMappingSays()
    {
        // A white 40x40 square on a black 400x200 image lands where ToInput puts its box, in every fit mode.
        var px = new byte[400 * 200 * 3];
        for (var y = 100; y < 140; y++)
            for (var x = 180; x < 220; x++)
                px[(y * 400 + x) * 3] = px[(y * 400 + x) * 3 + 1] = px[(y * 400 + x) * 3 + 2] = 255;
        var img = new RgbImage(400, 200, px);
        foreach (var mode in Enum.GetValues<ImageFitMode>())
        {
            var m = new InputMapping(400, 200, 100, 100, mode);
            var r = img.Render(m);
            var c = m.ToInput(new BoundingBox(180, 100, 220, 140));
            var cx = (int)c.CenterX;
            var cy = (int)c.CenterY;
            Assert.IsGreaterThan(128, (int)r.Pixels[(cy * 100 + cx) * 3], $"{mode}: centre of the mapped square {c} should be bright");
            var below = (int)(c.Y2 + 3);
            Assert.IsLessThan(20, (int)r.Pixels[(below * 100 + cx) * 3], $"{mode}: 3 px below the mapped square should be dark");
        }
    }
}
