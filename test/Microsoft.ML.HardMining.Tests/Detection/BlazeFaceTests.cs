using Microsoft.ML.HardMining.Detection;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Detection;

/// <summary>The real BlazeFace models on the real photographs, against the hand-labelled faces.</summary>
[TestClass]
public sealed class BlazeFaceTests
{
    [TestMethod]
    [DataRow("astronaut.png")]
    [DataRow("messi5.jpg")]
    public void BackModelBoxesLandOnTheHandLabelledFaces(string file)
    {
        var entry = HandLabels.Get(file);
        using var detector = OnnxDetector.BlazeFace(TestAssets.BlazeFaceBack);
        var result = detector.Detect(entry.Path);
        var top = result.Candidates[0];
        Assert.IsGreaterThan(0.75f, top.Score, $"{file}: top score {top.Score}");
        Assert.IsGreaterThan(0.5f, top.Box.IoU(entry.Faces.Single()), $"{file}: top box {top.Box} vs hand label {entry.Faces.Single()}");
        // Everything else it says with confidence >= 0.5 is elsewhere (no duplicate of the face survives NMS).
        foreach (var c in result.Candidates.Skip(1).Where(c => c.Score >= 0.5f))
            Assert.IsLessThan(0.3f, c.Box.IoU(top.Box));
    }

    [TestMethod]
    public void FrontModelAndEveryFitModeFindTheFaces()
    {
        var astronaut = HandLabels.Get("astronaut.png");
        using (var front = OnnxDetector.BlazeFace(TestAssets.BlazeFaceFront))
        {
            Assert.AreEqual(128, front.InputWidth);
            var top = front.Detect(astronaut.Path).Candidates[0];
            Assert.IsGreaterThan(0.5f, top.Box.IoU(astronaut.Faces[0]), $"front model box {top.Box}");
        }

        // The messi photo is 548x342: letterbox pads it and centre-crop cuts its sides; both must map back onto the face.
        var messi = HandLabels.Get("messi5.jpg");
        foreach (var mode in new[] { ImageFitMode.Letterbox, ImageFitMode.CenterCrop })
        {
            using var det = new OnnxDetector(TestAssets.BlazeFaceBack, new OnnxDetectorOptions { Decoder = AnchorGridDecoder.BlazeFace(), FitMode = mode });
            var top = det.Detect(messi.Path).Candidates[0];
            Assert.IsGreaterThan(0.5f, top.Box.IoU(messi.Faces[0]), $"{mode}: box {top.Box}");
        }
    }

    [TestMethod]
    [DataRow("chelsea.png", 0.5f)]
    [DataRow("horses.jpg", 0.45f)]
    public void BackModelReportsItsKnownFalsePositives(string file, float atLeast)
    {
        // No human face in these photographs (hand labels are empty): whatever BlazeFace reports is a false positive.
        var entry = HandLabels.Get(file);
        Assert.IsEmpty(entry.Faces);
        using var detector = OnnxDetector.BlazeFace(TestAssets.BlazeFaceBack);
        var result = detector.Detect(entry.Path);
        Assert.IsNotEmpty(result.Candidates, $"{file}: expected BlazeFace's known false positive");
        Assert.IsGreaterThanOrEqualTo(atLeast, result.Candidates[0].Score, $"{file}: false positive scored {result.Candidates[0].Score}");
    }

    [TestMethod]
    public void PreNmsCapIsCountedAndNothingIsDroppedSilently()
    {
        using var raw = OnnxDetector.BlazeFace(TestAssets.BlazeFaceBack, minScore: 0f, nmsIouThreshold: null);
        var all = raw.Detect(HandLabels.Get("astronaut.png").Path);
        Assert.AreEqual(896, all.DecodedCount, "every anchor passes a 0 threshold");
        Assert.AreEqual(896, all.Candidates.Count + all.DroppedEmptyAfterClip);

        using var capped = new OnnxDetector(TestAssets.BlazeFaceBack, new OnnxDetectorOptions { Decoder = AnchorGridDecoder.BlazeFace(), MinScore = 0f, MaxCandidatesBeforeNms = 100 });
        var c = capped.Detect(HandLabels.Get("astronaut.png").Path);
        Assert.AreEqual(796, c.DroppedByTopK);
        Assert.AreEqual(100, c.Candidates.Count + c.SuppressedByNms + c.DroppedEmptyAfterClip);
        // The cap keeps the best: the top candidate is the same as without a cap.
        Assert.AreEqual(all.Candidates[0], c.Candidates[0]);
    }

    [TestMethod]
    public void ImagesThatFailToLoadAreNamed()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"not-an-image-{Guid.NewGuid():N}.jpg");
        File.WriteAllText(bad, "this is text, not a JPEG");
        try
        {
            using var detector = OnnxDetector.BlazeFace(TestAssets.BlazeFaceBack);
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => detector.Detect(bad));
            StringAssert.Contains(ex.Message, bad);
            var missing = Assert.ThrowsExactly<FileNotFoundException>(() => RgbImage.Load(bad + ".missing"));
            StringAssert.Contains(missing.Message, bad + ".missing");
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [TestMethod]
    public void DetectorOptionsAreCheckedAtConstructionAndCopied()
    {
        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            new OnnxDetector(TestAssets.BlazeFaceBack, new OnnxDetectorOptions { Decoder = AnchorGridDecoder.BlazeFace(), NmsIouThreshold = 1.5f }));
        StringAssert.Contains(bad.Message, "OnnxDetectorOptions.NmsIouThreshold");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            new OnnxDetector(TestAssets.BlazeFaceBack, new OnnxDetectorOptions { Decoder = AnchorGridDecoder.BlazeFace(), InputWidth = 0 }));

        var options = new OnnxDetectorOptions { Decoder = AnchorGridDecoder.BlazeFace() };
        using var detector = new OnnxDetector(TestAssets.BlazeFaceBack, options);
        var before = detector.Detect(HandLabels.Get("astronaut.png").Path);
        // Changed after construction: the detector keeps what it was built with.
        options.MaxCandidatesBeforeNms = -1;
        options.NmsIouThreshold = null;
        var after = detector.Detect(HandLabels.Get("astronaut.png").Path);
        CollectionAssert.AreEqual(before.Candidates.ToArray(), after.Candidates.ToArray());

        // A cast combination used to score with the verifier alone, silently.
        var ml = new MLContext(seed: 1);
        var anyModel = ml.Transforms.CopyColumns("B", "A").Fit(ml.Data.LoadFromEnumerable(new[] { new { A = 1f } }));
        var combination = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new VerifiedDetector(ml, detector, anyModel, new RoiFeaturizer(), (VerifierCombination)9));
        Assert.AreEqual("combination", combination.ParamName);
    }

    [TestMethod]
    public void ATruncatedPhotographIsAnErrorNotAHalfBlackImage()
    {
        foreach (var name in new[] { "astronaut.png", "messi5.jpg" })
        {
            var original = HandLabels.Get(name).Path;
            var whole = RgbImage.Load(original);
            var truncated = Path.Combine(Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}-{name}");
            var bytes = File.ReadAllBytes(original);
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
            try
            {
                var ex = Assert.ThrowsExactly<InvalidDataException>(() => RgbImage.Load(truncated), name);
                StringAssert.Contains(ex.Message, truncated);
                StringAssert.Contains(ex.Message, "truncated or damaged");
            }
            finally
            {
                File.Delete(truncated);
            }
            Assert.IsGreaterThan(0, whole.Width, "the whole file still loads");
        }
    }
}
