using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Scoring;
using Microsoft.ML.HardMining.Tests.Infrastructure;
using static Microsoft.ML.HardMining.Tests.Scoring.OnnxScoringTestHelpers;

namespace Microsoft.ML.HardMining.Tests.Scoring;

/// <summary>Batched scores equal ML.NET's own <c>ApplyOnnxModel</c> (one row per Run) on real models and real data.</summary>
[TestClass]
public sealed class OnnxBatchScorerParityTests
{
    private static MnistOnnxExport s_export = null!;

    [ClassInitialize]
    public static void Init(TestContext _) => s_export = MnistOnnxExport.Create(perDigit: 40);

    [ClassCleanup]
    public static void Cleanup() => s_export?.Dispose();

    [TestMethod]
    [DataRow(1)]
    [DataRow(32)]
    [DataRow(256)]
    public void OnnxConverterExportOfMnistModelMatchesApplyOnnxModel(int batchSize)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var reference = ml.Transforms.ApplyOnnxModel(s_export.ModelPath).Fit(data).Transform(data);
        var refScore = VectorColumn(reference, "Score").Select(v => v[0]).ToArray();
        var refProbability = VectorColumn(reference, "Probability").Select(v => v[0]).ToArray();

        using var scorer = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", batchSize: batchSize).Fit(data);
        var scored = scorer.Transform(data);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        var score = ScalarColumn(scored, "Score");
        var probability = ScalarColumn(scored, "Probability");

        Assert.HasCount(400, score);
        AssertClose(refScore, score, 1e-5, "Score vs ApplyOnnxModel");
        AssertClose(refProbability, probability, 1e-5, "Probability vs ApplyOnnxModel");

        // Independent of ONNX altogether: the ML.NET model's own scores.
        var mlnet = s_export.Model.Transform(data);
        AssertClose(ScalarColumn(mlnet, "Score"), score, 1e-4, "Score vs the ML.NET model");

        // The scores are real: the model separates 9s from the rest on its training digits.
        var labels = data.GetColumn<bool>("Label").ToArray();
        Assert.IsGreaterThan(0.5, labels.Zip(score).Count(t => t.First == t.Second > 0) / (double)labels.Length);
        var ids = scored.GetColumn<int>("Id").ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(0, 400).ToArray(), ids, "rows keep their order and pass-through values");
    }

    [TestMethod]
    public void LogitOutputGetsSigmoidProbability()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows.Take(77));
        using var scorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = s_export.ModelPath,
            InputColumnNames = ["Features"],
            ScoreOutputName = "Score.output",
            OutputKind = OnnxOutputKind.Logits,
            RawOutputColumnName = "Raw",
            BatchSize = 10,
        }).Fit(data);
        var scored = scorer.Transform(data);
        var reference = ml.Transforms.ApplyOnnxModel(s_export.ModelPath).Fit(data).Transform(data);
        var refScore = VectorColumn(reference, "Score").Select(v => v[0]).ToArray();
        AssertClose(refScore, ScalarColumn(scored, "Score"), 1e-5, "Score");
        AssertClose(refScore.Select(s => (float)(1 / (1 + Math.Exp(-s)))).ToArray(), ScalarColumn(scored, "Probability"), 1e-6, "sigmoid(Score)");
        AssertClose(refScore.Select(s => new[] { s }).ToArray(), VectorColumn(scored, "Raw"), 1e-5, "Raw");
    }

    [TestMethod]
    public void PaddleOrientationClassifierMatchesApplyOnnxModelOnRealPhotos()
    {
        var ml = new MLContext(seed: 1);
        var photos = RealPhotos.All();
        // PaddleOCR's classifier takes 3x48x192 crops normalised to [-1, 1].
        var data = Pixels(ml, photos, "x", 192, 48, interleave: false, scale: 2f / 255f, offset: -127.5f);
        var shapes = new Dictionary<string, int[]> { ["x"] = [-1, 3, 48, 192] };
        var reference = ml.Transforms.ApplyOnnxModel(["softmax_0.tmp_0"], ["x"], TestAssets.PaddleOrientationClassifier, shapes, gpuDeviceId: null, fallbackToCpu: false).Fit(data).Transform(data);
        var expected = VectorColumn(reference, "softmax_0.tmp_0");

        using var scorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = TestAssets.PaddleOrientationClassifier,
            InputColumnNames = ["x"],
            ShapeDictionary = shapes,
            BatchSize = 8, // 21 photos: batches of 8, 8, 5
            PositiveClassIndex = 1,
        }).Fit(data);
        Assert.AreEqual(8, scorer.BatchSize);
        var scored = scorer.Transform(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), scored.Schema["Score"].Type);
        var actual = VectorColumn(scored, "Score");
        AssertClose(expected, actual, 1e-5, "Paddle softmax");
        AssertClose(expected.Select(p => p[1]).ToArray(), ScalarColumn(scored, "Probability"), 1e-5, "Paddle class-1 probability");
        foreach (var p in actual)
            Assert.AreEqual(1.0, p.Sum(), 1e-4, "softmax rows sum to 1");

        // An interleaved (HWC) pixel column transposed into the NCHW model gives the same scores.
        var interleaved = Pixels(ml, photos, "x", 192, 48, interleave: true, scale: 2f / 255f, offset: -127.5f);
        using var hwcScorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = TestAssets.PaddleOrientationClassifier,
            InputColumnNames = ["x"],
            ShapeDictionary = shapes,
            ColumnImageLayout = OnnxImageLayout.Hwc,
            BatchSize = 6,
        }).Fit(interleaved);
        AssertClose(expected, VectorColumn(hwcScorer.Transform(interleaved), "Score"), 1e-5, "Paddle from an HWC column");
    }

    [TestMethod]
    public void ResNet18FeaturizerWithFixedBatchOfOneMatchesApplyOnnxModel()
    {
        var ml = new MLContext(seed: 1);
        var photos = RealPhotos.All().Take(5).ToArray();
        var data = Pixels(ml, photos, "Input247", 224, 224, interleave: false, scale: 1f / 255f, offset: 0f);
        var reference = ml.Transforms.ApplyOnnxModel(["Pooling395_Output_0"], ["Input247"], TestAssets.ResNet18).Fit(data).Transform(data);
        var expected = VectorColumn(reference, "Pooling395_Output_0");

        using var scorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = TestAssets.ResNet18,
            InputColumnNames = ["Input247"],
            OutputKind = OnnxOutputKind.RawScore,
            BatchSize = 64, // ignored: the model fixes its batch to 1
        }).Fit(data);
        Assert.AreEqual(1, scorer.BatchSize);
        var scored = scorer.Transform(data);
        Assert.IsNull(scored.Schema.GetColumnOrNull("Probability"), "raw scores have no probability");
        var actual = VectorColumn(scored, "Score");
        Assert.HasCount(512, actual[0]);
        AssertClose(expected, actual, 1e-5, "ResNet18 features");
        Assert.IsTrue(actual.Any(v => v.Any(x => x != 0)), "features are not all zero");
    }

    [TestMethod]
    public void BlazeFaceNhwcModelFixedBatchMatchesApplyOnnxModelFromEitherLayout()
    {
        var ml = new MLContext(seed: 1);
        var photos = RealPhotos.All().Take(6).ToArray();
        var hwc = Pixels(ml, photos, "input:0", 128, 128, interleave: true, scale: 2f / 255f, offset: -127.5f);
        var reference = ml.Transforms.ApplyOnnxModel(["Identity:0"], ["input:0"], TestAssets.BlazeFaceFront).Fit(hwc).Transform(hwc);
        var expected = VectorColumn(reference, "Identity:0");

        var options = new OnnxScoringOptions
        {
            ModelPath = TestAssets.BlazeFaceFront,
            InputColumnNames = ["input:0"],
            ScoreOutputName = "Identity:0",
            OutputKind = OnnxOutputKind.RawScore,
        };
        using var scorer = ml.Transforms.ScoreOnnxBatched(options).Fit(hwc);
        AssertClose(expected, VectorColumn(scorer.Transform(hwc), "Score"), 1e-5, "BlazeFace from an HWC column");

        var chw = Pixels(ml, photos, "input:0", 128, 128, interleave: false, scale: 2f / 255f, offset: -127.5f);
        options.ColumnImageLayout = OnnxImageLayout.Chw;
        options.ModelImageLayout = OnnxImageLayout.Hwc;
        using var transposing = ml.Transforms.ScoreOnnxBatched(options).Fit(chw);
        AssertClose(expected, VectorColumn(transposing.Transform(chw), "Score"), 1e-5, "BlazeFace from a CHW column transposed to NHWC");
    }
}
