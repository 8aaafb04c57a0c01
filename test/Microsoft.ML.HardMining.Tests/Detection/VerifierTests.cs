using System.Runtime.CompilerServices;
using Microsoft.ML.HardMining.Detection;
using Microsoft.ML.HardMining.Detection.Experiments;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Detection;

/// <summary>The false-positive-reduction workflow on real parts: LFW faces on real photographs, real BlazeFace, real ML.NET trainers.</summary>
[TestClass]
public sealed class VerifierTests
{
    private static FaceAssets Assets()
        => new(TestAssets.SkimageData, TestAssets.OpenCvData, TestAssets.DarknetData, TestAssets.BlazeFaceBack,
            Path.Combine(AppContext.BaseDirectory, "Detection", "hand-labelled-faces.json"));

    [TestMethod]
    public void LfwSubsetReadsAsTwoHundredGreyCrops()
    {
        var (shape, data) = NpyReader.Read(Path.Combine(TestAssets.SkimageData, "lfw_subset.npy"));
        CollectionAssert.AreEqual(new[] { 200, 25, 25 }, shape);
        Assert.IsTrue(data.All(v => v >= 0 && v <= 1), "grey levels in [0, 1]");
        var images = NpyReader.ReadGrayImages(Path.Combine(TestAssets.SkimageData, "lfw_subset.npy"));
        Assert.HasCount(200, images);
        Assert.AreEqual((byte)Math.Round(data[0] * 255), images[0].Pixels[0]);
    }

    [TestMethod]
    public void CompositeSetPlacesObjectsInsideWithoutOverlapAndIsReproducible()
    {
        var faces = NpyReader.ReadGrayImages(Path.Combine(TestAssets.SkimageData, "lfw_subset.npy"));
        var backgrounds = new[] { ("chelsea", RgbImage.Load(Path.Combine(TestAssets.SkimageData, "chelsea.png"))), ("brick", RgbImage.Load(Path.Combine(TestAssets.SkimageData, "brick.png"))) };
        var options = new CompositeSetOptions { ImagesPerBackground = 4, Seed = 7 };
        var a = CompositeDetectionSet.Compose(backgrounds, faces.Take(10).ToArray(), faces.Skip(100).Take(10).ToArray(), options);
        var b = CompositeDetectionSet.Compose(backgrounds, faces.Take(10).ToArray(), faces.Skip(100).Take(10).ToArray(), options);
        Assert.HasCount(10, a, "4 composites + the plain photograph per background");
        Assert.IsEmpty(a[0].GroundTruth, "the plain photograph is background-only");
        for (var i = 0; i < a.Count; i++)
        {
            CollectionAssert.AreEqual(a[i].GroundTruth.ToArray(), b[i].GroundTruth.ToArray());
            CollectionAssert.AreEqual(a[i].Image!.Pixels, b[i].Image!.Pixels, "same seed, same pixels");
            foreach (var g in a[i].GroundTruth)
            {
                Assert.IsTrue(g.IsInside(a[i].Image!.Width, a[i].Image!.Height));
                Assert.IsTrue(a[i].GroundTruth.Where(o => o != g).All(o => o.IoU(g) == 0));
            }
        }
        Assert.IsGreaterThanOrEqualTo(8, a.Sum(i => i.GroundTruth.Count), "at least one face per composite");
        // The pasted face really changes the pixels inside its box.
        var composite = a[1];
        var plain = a[0].Image!;
        var box = composite.GroundTruth[0];
        var cx = (int)box.CenterX;
        var cy = (int)box.CenterY;
        var idx = (cy * plain.Width + cx) * 3;
        Assert.IsTrue(composite.Image!.Pixels[idx] != plain.Pixels[idx] || composite.Image.Pixels[idx + 1] != plain.Pixels[idx + 1] || composite.Image.Pixels[idx + 2] != plain.Pixels[idx + 2]);

        // Each option out of range is named; MaxSide 0 used to give 1x1 backgrounds without a word.
        foreach (var (option, bad) in new (string, CompositeSetOptions)[]
        {
            (nameof(CompositeSetOptions.MaxSide), new CompositeSetOptions { MaxSide = 0 }),
            (nameof(CompositeSetOptions.ImagesPerBackground), new CompositeSetOptions { ImagesPerBackground = -1 }),
            (nameof(CompositeSetOptions.Feather), new CompositeSetOptions { Feather = float.NaN }),
            (nameof(CompositeSetOptions.MaxDistractors), new CompositeSetOptions { MaxDistractors = -1 }),
        })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CompositeDetectionSet.Compose(backgrounds, faces.Take(2).ToArray(), [], bad), option);
            Assert.AreEqual(option, e.ParamName);
        }
    }

    [TestMethod]
    public void FeaturizerIsDeterministicAndSeparatesAFaceFromTexture()
    {
        var astronaut = HandLabels.Get("astronaut.png");
        var image = RgbImage.Load(astronaut.Path);
        var f = new RoiFeaturizer();
        var face = f.Featurize(image, astronaut.Faces[0]);
        Assert.HasCount(f.Length, face);
        Assert.AreEqual(24 * 24 + 16 * 9, f.Length);
        CollectionAssert.AreEqual(face, f.Featurize(image, astronaut.Faces[0]));
        Assert.IsTrue(face.All(float.IsFinite));
        // A box partly outside the image still featurizes (edges repeat).
        Assert.IsTrue(f.Featurize(image, new BoundingBox(-20, -20, 40, 40)).All(float.IsFinite));
    }

    [TestMethod]
    public void OhemMinedVerifierCutsFalsePositivesPerImageAtTheDetectorsRecall()
    {
        var options = new FaceVerifierExperimentOptions
        {
            Seed = 1,
            ImagesPerBackground = 3,
            TrainRandomArms = false,
            Trainer = ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
        };
        var result = FaceVerifierExperiment.Run(Assets(), options);
        var detector = result.Arms.Single(a => a.Name == FaceVerifierExperiment.DetectorArm);
        var mined = result.Arms.Single(a => a.Name == FaceVerifierExperiment.MinedArm);
        Assert.IsGreaterThan(0.5, result.DetectorRecall, "BlazeFace finds most pasted faces");
        Assert.IsGreaterThan(0.0, detector.FalsePositivesPerImageAtDetectorRecall!.Value, "the detector makes false positives on these photographs");
        Assert.IsNotNull(mined.FalsePositivesPerImageAtDetectorRecall, "the verifier keeps the detector's recall reachable");
        Assert.IsLessThan(detector.FalsePositivesPerImageAtDetectorRecall!.Value, mined.FalsePositivesPerImageAtDetectorRecall!.Value,
            $"verifier {mined.FalsePositivesPerImageAtDetectorRecall:0.000} vs detector {detector.FalsePositivesPerImageAtDetectorRecall:0.000} FP/image at recall {result.DetectorRecall:0.000}");
        Assert.AreEqual(detector.MaxRecall, mined.MaxRecall, 1e-12, "rescoring never adds or removes boxes");
        Assert.IsGreaterThan(0, result.Mined.Negatives);
        // The verifier removes background false positives (cat, horses, textures) rather than adding any.
        Assert.IsLessThanOrEqualTo(detector.BackgroundFalsePositivesPerImage!.Value, mined.BackgroundFalsePositivesPerImage!.Value);
    }
}
