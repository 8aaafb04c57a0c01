using Microsoft.ML.HardMining.Detection;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Detection;

[TestClass]
public sealed class CandidateAndMiningTests
{
    [TestMethod]
    public void LabelsAndLossesMatchHandComputedValues()
    {
        var gt = new[] { new BoundingBox(0, 0, 10, 10) };
        var candidates = new[]
        {
            new DetectionCandidate(new BoundingBox(0, 0, 10, 10), 0.9f, 0),   // IoU 1: positive
            new DetectionCandidate(new BoundingBox(0, 0, 10, 5), 0.6f, 0),    // IoU 0.5: positive (>= threshold)
            new DetectionCandidate(new BoundingBox(0, 0, 10, 4), 0.3f, 0),    // IoU 0.4: ignore band
            new DetectionCandidate(new BoundingBox(50, 50, 60, 60), 0.8f, 0), // IoU 0: negative
        };
        var rows = RoiLabeler.Label("img", candidates, gt);
        CollectionAssert.AreEqual(new[] { "Positive", "Positive", "Ignored", "Negative" }, rows.Select(r => r.Kind).ToArray());
        Assert.AreEqual(-Math.Log(0.9), rows[0].Loss, 1e-6);
        Assert.AreEqual(0f, rows[0].LocalizationLoss);
        // [0,0,10,5] vs [0,0,10,10]: ty = (5 - 2.5) / 5 = 0.5 -> 0.125; th = ln 2 -> 0.5 (ln 2)^2.
        var loc = 0.125 + 0.5 * Math.Log(2) * Math.Log(2);
        Assert.AreEqual(loc, rows[1].LocalizationLoss, 1e-6);
        Assert.AreEqual(-Math.Log(0.6) + loc, rows[1].Loss, 1e-5);
        Assert.AreEqual(0f, rows[2].Loss);
        Assert.AreEqual(-Math.Log(0.2), rows[3].Loss, 1e-5);
        Assert.AreEqual(-1, rows[3].MatchedGroundTruth);
        Assert.IsFalse(rows[3].Label);

        var weighted = RoiLabeler.Label("img", candidates, gt, new RoiLabelingOptions { LocalizationWeight = 2 });
        Assert.AreEqual(-Math.Log(0.6) + 2 * loc, weighted[1].Loss, 1e-5);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RoiLabeler.Label("img", candidates, gt, new RoiLabelingOptions { NegativeIouThreshold = 0.6f }));
    }

    [TestMethod]
    public void GroundTruthOutsideTheImageIsClippedOrDroppedAndCounted()
    {
        var image = new RgbImage(100, 50, new byte[100 * 50 * 3]);
        var item = new LabeledImage("a", image, [new BoundingBox(90, 40, 120, 60), new BoundingBox(200, 0, 210, 10), new BoundingBox(10, 10, 20, 20)]);
        var background = new LabeledImage("b", image);
        DetectionResult Fake(RgbImage im) => new(im.Width, im.Height, [new DetectionCandidate(new BoundingBox(90, 40, 100, 50), 0.7f, 0), new DetectionCandidate(new BoundingBox(0, 0, 5, 5), 0.2f, 0)], 2, 0, 0, 0);
        var set = CandidateGenerator.Generate(Fake, [item, background]);
        Assert.AreEqual(3, set.Report.GroundTruthBoxes);
        Assert.AreEqual(1, set.Report.GroundTruthClipped);
        Assert.AreEqual(1, set.Report.GroundTruthDropped);
        Assert.AreEqual(1, set.Report.GroundTruthMissed, "the [10,10,20,20] face has no candidate");
        Assert.AreEqual(1, set.Report.BackgroundOnlyImages);
        Assert.AreEqual(new BoundingBox(90, 40, 100, 50), set.Images[0].GroundTruth[0]);
        Assert.AreEqual("Positive", set.Rows[0].Kind, "the clipped box matches the candidate exactly");
        Assert.IsTrue(set.Rows.Where(r => r.ImageId == "b").All(r => r.Kind == "Negative"), "a background-only image yields negatives");
        Assert.AreEqual(4, set.Rows.Count);
        Assert.ThrowsExactly<ArgumentException>(() => CandidateGenerator.Generate(Fake, [item, item]));
    }

    private static List<CandidateRow> RandomRows(int seed, int images)
    {
        var rng = new Random(seed);
        var rows = new List<CandidateRow>();
        for (var im = 0; im < images; im++)
        {
            var gt = Enumerable.Range(0, rng.Next(0, 3)).Select(_ =>
            {
                var x = (float)rng.NextDouble() * 150;
                var y = (float)rng.NextDouble() * 150;
                return new BoundingBox(x, y, x + 20 + (float)rng.NextDouble() * 40, y + 20 + (float)rng.NextDouble() * 40);
            }).ToArray();
            var candidates = Enumerable.Range(0, rng.Next(1, 120)).Select(_ =>
            {
                BoundingBox b;
                if (gt.Length > 0 && rng.NextDouble() < 0.4)
                {
                    var g = gt[rng.Next(gt.Length)];
                    var dx = (float)(rng.NextDouble() - 0.5) * 20;
                    var dy = (float)(rng.NextDouble() - 0.5) * 20;
                    b = new BoundingBox(g.X1 + dx, g.Y1 + dy, g.X2 + dx, g.Y2 + dy);
                }
                else
                {
                    var x = (float)rng.NextDouble() * 180;
                    var y = (float)rng.NextDouble() * 180;
                    b = new BoundingBox(x, y, x + 10 + (float)rng.NextDouble() * 50, y + 10 + (float)rng.NextDouble() * 50);
                }
                // Quantised scores: equal losses occur, so tie-breaking is compared too.
                return new DetectionCandidate(b, (float)(Math.Round(rng.NextDouble() * 40) / 41 + 0.01), 0);
            }).ToArray();
            rows.AddRange(RoiLabeler.Label($"img{im}", candidates, gt));
        }
        return rows;
    }

    [TestMethod]
    public void OhemThroughTheCoreMinerEqualsThePerImageReference()
    {
        var ml = new MLContext(seed: 1);
        var optionSets = new[]
        {
            new RoiMiningOptions(),
            new RoiMiningOptions { RoisPerImage = 8, NegativesPerPositive = 3, MinNegativesPerImage = 2 },
            new RoiMiningOptions { RoisPerImage = 0, NmsIouThreshold = 0.5f, NegativesPerPositive = 1 },
            new RoiMiningOptions { RoisPerImage = 4, NmsIouThreshold = 1f },
        };
        for (var seed = 0; seed < 6; seed++)
        {
            var rows = RandomRows(seed, 12);
            foreach (var o in optionSets)
            {
                var core = RoiMiner.Mine(ml, rows, o);
                var reference = RoiMiner.MineReference(rows, o);
                CollectionAssert.AreEqual(reference.SelectedRows.ToArray(), core.SelectedRows.ToArray(), $"seed {seed}, B {o.RoisPerImage}, ratio {o.NegativesPerPositive}");
            }
        }
    }

    [TestMethod]
    public void ABoxAtExactlyTheIouThresholdIsKeptByBothMiners()
    {
        // B overlaps the harder A at IoU 70/100 = 0.7 exactly: "strictly above the threshold" keeps it.
        var rows = new[]
        {
            new CandidateRow { ImageId = "i", CandidateIndex = 0, Box = [0, 0, 10, 10], Loss = 2, Kind = nameof(RoiLabel.Negative) },
            new CandidateRow { ImageId = "i", CandidateIndex = 1, Box = [0, 0, 10, 7], Loss = 1, Kind = nameof(RoiLabel.Negative) },
            new CandidateRow { ImageId = "i", CandidateIndex = 2, Box = [50, 50, 60, 60], Loss = 0.5f, Kind = nameof(RoiLabel.Negative) },
        };
        var options = new RoiMiningOptions { RoisPerImage = 0, NmsIouThreshold = 0.7f };
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, RoiMiner.MineReference(rows, options).SelectedRows.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, RoiMiner.Mine(new MLContext(seed: 1), rows, options).SelectedRows.ToArray());
        // Just above the threshold it is suppressed by both.
        rows[1].Box = [0, 0, 10, 7.1f];
        CollectionAssert.AreEqual(new[] { 0, 2 }, RoiMiner.MineReference(rows, options).SelectedRows.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 2 }, RoiMiner.Mine(new MLContext(seed: 1), rows, options).SelectedRows.ToArray());
    }

    [TestMethod]
    public void OhemFollowsTensorFlowSemanticsOnAHandExample()
    {
        // One image, one face. Losses rank the rows; row 1 overlaps row 0 (harder) at IoU 0.82 > 0.7 and is suppressed.
        var gt = new[] { new BoundingBox(0, 0, 10, 10) };
        var candidates = new[]
        {
            new DetectionCandidate(new BoundingBox(100, 100, 110, 110), 0.95f, 0), // negative, loss 3.0
            new DetectionCandidate(new BoundingBox(100, 100, 110, 111), 0.90f, 0), // negative, overlaps row 0
            new DetectionCandidate(new BoundingBox(0, 0, 10, 10), 0.10f, 0),       // positive, loss 2.3
            new DetectionCandidate(new BoundingBox(200, 0, 210, 10), 0.80f, 0),    // negative, loss 1.6
            new DetectionCandidate(new BoundingBox(0, 200, 10, 210), 0.50f, 0),    // negative, loss 0.69
            new DetectionCandidate(new BoundingBox(0, 0, 10, 4), 0.99f, 0),        // ignored (IoU 0.4)
        };
        var rows = RoiLabeler.Label("img", candidates, gt);
        var all = RoiMiner.MineReference(rows, new RoiMiningOptions { RoisPerImage = 0 });
        CollectionAssert.AreEqual(new[] { 0, 2, 3, 4 }, all.SelectedRows.ToArray());
        Assert.AreEqual(1, all.IgnoredRows);
        var b3 = RoiMiner.MineReference(rows, new RoiMiningOptions { RoisPerImage = 3 });
        CollectionAssert.AreEqual(new[] { 0, 2, 3 }, b3.SelectedRows.ToArray());
        var ratio = RoiMiner.MineReference(rows, new RoiMiningOptions { RoisPerImage = 0, NegativesPerPositive = 2 });
        CollectionAssert.AreEqual(new[] { 0, 2, 3 }, ratio.SelectedRows.ToArray(), "1 positive -> the 2 hardest negatives");
        var bgRows = RoiLabeler.Label("bg", candidates.Take(5).ToArray(), []);
        var bg = RoiMiner.MineReference(bgRows, new RoiMiningOptions { NegativesPerPositive = 3, MinNegativesPerImage = 2 });
        CollectionAssert.AreEqual(new[] { 0, 3 }, bg.SelectedRows.ToArray(), "a background-only image still gives its 2 hardest negatives (row 1 suppressed by row 0)");
        var ml = new MLContext(seed: 1);
        CollectionAssert.AreEqual(bg.SelectedRows.ToArray(), RoiMiner.Mine(ml, bgRows, new RoiMiningOptions { NegativesPerPositive = 3, MinNegativesPerImage = 2 }).SelectedRows.ToArray());
    }

    [TestMethod]
    public void RealBlazeFaceCandidateViewAndOhemPickTheKnownFalsePositives()
    {
        var ml = new MLContext(seed: 1);
        var images = new[] { "astronaut.png", "messi5.jpg", "chelsea.png", "horses.jpg" }
            .Select(f => HandLabels.Get(f))
            .Select(e => new LabeledImage(e.File, e.Path, e.Faces))
            .ToArray();
        using var detector = OnnxDetector.BlazeFace(TestAssets.BlazeFaceBack, minScore: 0.05f, nmsIouThreshold: null);
        var set = CandidateGenerator.Generate(detector, images);
        Assert.AreEqual(4, set.Report.Images);
        Assert.AreEqual(2, set.Report.BackgroundOnlyImages);
        Assert.AreEqual(0, set.Report.GroundTruthMissed, set.Report.ToString());
        Assert.IsGreaterThan(0, set.Report.Positives);
        Assert.AreEqual(set.Report.Candidates, set.Report.Positives + set.Report.Negatives + set.Report.Ignored);

        var view = set.ToDataView(ml);
        Assert.AreEqual((long)set.Rows.Count, view.GetRowCount());
        foreach (var column in new[] { "ImageId", "Box", "Score", "ClassId", "BestIoU", "Kind", "Label", "Loss", "ClassificationLoss", "LocalizationLoss" })
            Assert.IsNotNull(view.Schema.GetColumnOrNull(column), column);
        Assert.IsTrue(set.Rows.Where(r => r.ImageId is "chelsea.png" or "horses.jpg").All(r => r.Kind == "Negative"));

        var options = new RoiMiningOptions { RoisPerImage = 4, NegativesPerPositive = 3, MinNegativesPerImage = 2 };
        var mined = RoiMiner.Mine(ml, set.Rows, options);
        CollectionAssert.AreEqual(RoiMiner.MineReference(set.Rows, options).SelectedRows.ToArray(), mined.SelectedRows.ToArray());
        var selected = mined.SelectedRowObjects();
        // The hardest negative of the cat and of the horses are their known false positives (highest score there).
        foreach (var file in new[] { "chelsea.png", "horses.jpg" })
        {
            var top = set.Rows.Where(r => r.ImageId == file).MaxBy(r => r.Score)!;
            Assert.IsTrue(selected.Contains(top), $"{file}: the false positive scored {top.Score} must be mined");
            Assert.AreEqual(2, selected.Count(r => r.ImageId == file), $"{file}: background-only images give MinNegativesPerImage negatives");
        }
        Assert.IsTrue(selected.Any(r => r.ImageId == "astronaut.png" && r.Label));
    }
}
