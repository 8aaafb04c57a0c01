using Microsoft.ML.HardMining.Detection;

namespace Microsoft.ML.HardMining.Tests.Detection;

[TestClass]
public sealed class EvaluationTests
{
    private static ScoredBox D(float x1, float y1, float x2, float y2, float s) => new(new BoundingBox(x1, y1, x2, y2), s);

    [TestMethod]
    public void HandComputedCurveApAndFalsePositivesPerImage()
    {
        var a = new ImageDetections("a", [new BoundingBox(0, 0, 10, 10), new BoundingBox(20, 0, 30, 10)],
            [D(0, 0, 10, 10, 0.9f), D(0, 0, 10, 9, 0.8f), D(20, 0, 30, 10, 0.7f)]);
        var b = new ImageDetections("b", [], [D(5, 5, 15, 15, 0.85f)]);
        var m = DetectionEvaluator.Evaluate([a, b]);
        CollectionAssert.AreEqual(new[] { true, false, false, true }, m.IsTruePositive.ToArray(), "0.9 TP, 0.85 FP (no face in b), 0.8 duplicate FP, 0.7 TP");
        Assert.AreEqual(0.5, m.Curve[2].Recall, 1e-12);
        Assert.AreEqual(1.0 / 3, m.Curve[2].Precision, 1e-12);
        Assert.AreEqual(76.0 / 101, m.AveragePrecision, 1e-12, "51 recall levels at precision 1, 50 at 0.5");
        Assert.AreEqual(1.0, m.FalsePositivesPerImageAtRecall(1.0));
        Assert.AreEqual(0.0, m.FalsePositivesPerImageAtRecall(0.5));
        Assert.AreEqual((0.5, 0.5), m.AtThreshold(0.85f));
        var none = DetectionEvaluator.Evaluate([new ImageDetections("c", [new BoundingBox(0, 0, 1, 1)], [])]);
        Assert.IsNull(none.FalsePositivesPerImageAtRecall(0.5));
        Assert.AreEqual(0, none.AveragePrecision);
    }

    [TestMethod]
    public void FalsePositivesAtRecallDoNotDependOnTheOrderOfTiedDetections()
    {
        // A face found at 0.5 in one image and a false positive at 0.5 in another: reaching recall 1 means accepting both.
        var a = new ImageDetections("a", [new BoundingBox(0, 0, 10, 10)], [D(0, 0, 10, 10, 0.5f)]);
        var b = new ImageDetections("b", [], [D(0, 0, 10, 10, 0.5f)]);
        foreach (var order in new[] { new[] { a, b }, [b, a] })
        {
            var m = DetectionEvaluator.Evaluate(order);
            Assert.AreEqual(0.5, m.FalsePositivesPerImageAtRecall(1), $"{order[0].ImageId} first");
            Assert.AreEqual((1.0, 0.5), m.AtThreshold(0.5f));
        }
        // A tiny recall still needs the first true positive, behind two false positives.
        var c = new ImageDetections("c", [new BoundingBox(0, 0, 10, 10)], [D(50, 50, 60, 60, 0.9f), D(70, 70, 80, 80, 0.8f), D(0, 0, 10, 10, 0.4f)]);
        Assert.AreEqual(2.0, DetectionEvaluator.Evaluate([c]).FalsePositivesPerImageAtRecall(1e-13));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => DetectionEvaluator.Evaluate([c]).AtThreshold(float.NaN));
        var noList = Assert.ThrowsExactly<ArgumentException>(() => DetectionEvaluator.Evaluate([new ImageDetections("x", null!, [])]));
        StringAssert.Contains(noList.Message, "'x'");
    }

    [TestMethod]
    public void GreedyMatchingTakesTheNextBestUnmatchedGroundTruth()
    {
        // COCO: the second detection's best box is taken, so it matches the other one it overlaps at >= 0.5.
        var gt = new[] { new BoundingBox(0, 0, 10, 10), new BoundingBox(2, 0, 12, 10) };
        var m = DetectionEvaluator.Evaluate([new ImageDetections("a", gt, [D(0, 0, 10, 10, 0.9f), D(1, 0, 11, 10, 0.8f)])]);
        CollectionAssert.AreEqual(new[] { true, true }, m.IsTruePositive.ToArray());
        Assert.AreEqual(1.0, m.AveragePrecision, 1e-12);
    }

    [TestMethod]
    public void CurveAndApEqualABruteForceReferenceOnRandomDetections()
    {
        for (var seed = 0; seed < 15; seed++)
        {
            var rng = new Random(seed);
            var images = new List<ImageDetections>();
            for (var i = 0; i < 8; i++)
            {
                var gt = Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Box(rng, 30, 20)).ToArray();
                var dets = Enumerable.Range(0, rng.Next(0, 10)).Select(_ =>
                {
                    var b = gt.Length > 0 && rng.NextDouble() < 0.6 ? Jitter(gt[rng.Next(gt.Length)], rng) : Box(rng, 30, 20);
                    return new ScoredBox(b, (float)Math.Round(rng.NextDouble() * 10) / 10);
                }).ToArray();
                images.Add(new ImageDetections($"i{i}", gt, dets));
            }
            var m = DetectionEvaluator.Evaluate(images);
            var order = images.SelectMany((im, i) => im.Detections.Select((d, j) => (d.Score, i, j)))
                .OrderByDescending(t => t.Score).ThenBy(t => t.i).ThenBy(t => t.j).ToArray();
            var totalGt = images.Sum(im => im.GroundTruth.Count);
            var recalls = new double[order.Length];
            var precisions = new double[order.Length];
            for (var k = 1; k <= order.Length; k++)
            {
                // Brute force: re-match the first k detections from scratch, image by image.
                var tp = 0;
                for (var i = 0; i < images.Count; i++)
                {
                    var used = new HashSet<int>();
                    foreach (var (_, ii, j) in order.Take(k).Where(t => t.i == i))
                    {
                        var cands = Enumerable.Range(0, images[i].GroundTruth.Count)
                            .Where(g => !used.Contains(g) && images[i].Detections[j].Box.IoU(images[i].GroundTruth[g]) >= 0.5f)
                            .OrderByDescending(g => images[i].Detections[j].Box.IoU(images[i].GroundTruth[g])).ThenBy(g => g).ToList();
                        if (cands.Count > 0)
                        {
                            used.Add(cands[0]);
                            tp++;
                        }
                    }
                }
                Assert.AreEqual(tp, m.Curve[k - 1].TruePositives, $"seed {seed}, prefix {k}");
                recalls[k - 1] = totalGt == 0 ? 0 : (double)tp / totalGt;
                precisions[k - 1] = (double)tp / k;
            }
            var ap = Enumerable.Range(0, 101).Select(r => r / 100.0)
                .Select(r => Enumerable.Range(0, order.Length).Where(k => recalls[k] >= r - 1e-12).Select(k => precisions[k]).DefaultIfEmpty(0).Max())
                .Average();
            Assert.AreEqual(ap, m.AveragePrecision, 1e-12, $"seed {seed}");
        }
    }

    private static BoundingBox Box(Random rng, float span, float size)
    {
        var x = (float)rng.NextDouble() * span;
        var y = (float)rng.NextDouble() * span;
        return new BoundingBox(x, y, x + 5 + (float)rng.NextDouble() * size, y + 5 + (float)rng.NextDouble() * size);
    }

    private static BoundingBox Jitter(BoundingBox b, Random rng)
    {
        var dx = (float)(rng.NextDouble() - 0.5) * b.Width * 0.4f;
        var dy = (float)(rng.NextDouble() - 0.5) * b.Height * 0.4f;
        return new BoundingBox(b.X1 + dx, b.Y1 + dy, b.X2 + dx, b.Y2 + dy);
    }
}
