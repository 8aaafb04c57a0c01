using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Scoring;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Scoring;

/// <summary>Each kind of bad input fails with an error naming the model, the input or output, and expected vs found.</summary>
[TestClass]
public sealed class OnnxBatchScorerBadInputTests
{
    private static MnistOnnxExport s_export = null!;

    [ClassInitialize]
    public static void Init(TestContext _) => s_export = MnistOnnxExport.Create(perDigit: 5);

    [ClassCleanup]
    public static void Cleanup() => s_export?.Dispose();

    [TestMethod]
    public void MissingModelFileIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var path = Path.Combine(s_export.Folder, "no-such-model.onnx");
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => ml.Transforms.ScoreOnnxBatched(path, "Features").Fit(data));
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void CorruptModelFileIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var path = Path.Combine(s_export.Folder, "truncated.onnx");
        var bytes = File.ReadAllBytes(s_export.ModelPath);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 3).ToArray());
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ml.Transforms.ScoreOnnxBatched(path, "Features").Fit(data));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "valid ONNX model");
    }

    [TestMethod]
    public void MissingColumnNamesColumnAndModelInput()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Pixels").Fit(data));
        StringAssert.Contains(e.Message, "'Pixels'");
        StringAssert.Contains(e.Message, "model input 'Features'");
        StringAssert.Contains(e.Message, "mnist9-sdca.onnx");
    }

    [TestMethod]
    public void WrongModelInputNameListsTheModelsInputs()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = s_export.ModelPath,
            InputColumnNames = ["Features"],
            ModelInputNames = ["image"],
        }).Fit(data));
        StringAssert.Contains(e.Message, "no input 'image'");
        StringAssert.Contains(e.Message, "'Features' Single [?,784]");
    }

    [TestMethod]
    public void WrongElementTypeSaysExpectedAndFound()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows.Select(r => new DoubleRow { Features = r.Features.Select(v => (double)v).ToArray() }));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features").Fit(data));
        StringAssert.Contains(e.Message, "expected element type Single");
        StringAssert.Contains(e.Message, "Double");
    }

    [TestMethod]
    public void WrongVectorSizeSaysExpectedAndFoundShape()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows.Select(r => new ShortRow { Features = r.Features.Take(10).ToArray() }));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features").Fit(data));
        StringAssert.Contains(e.Message, "expected 784 Single values per row (shape [784])");
        StringAssert.Contains(e.Message, "Vector<Single, 10>");
    }

    [TestMethod]
    public void TwoDynamicImageDimensionsNeedAShape()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.ScoreOnnxBatched(TestAssets.PaddleOrientationClassifier, "Features").Fit(data));
        StringAssert.Contains(e.Message, "'x' [?,3,?,?]");
        StringAssert.Contains(e.Message, nameof(OnnxScoringOptions.ShapeDictionary));
    }

    [TestMethod]
    public void BooleanOutputIsNeitherScoresNorProbabilities()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = s_export.ModelPath,
            InputColumnNames = ["Features"],
            ScoreOutputName = "PredictedLabel.output",
        }).Fit(data));
        StringAssert.Contains(e.Message, "output 'PredictedLabel.output'");
        StringAssert.Contains(e.Message, "neither scores nor probabilities");
        StringAssert.Contains(e.Message, "Boolean");
    }

    [TestMethod]
    public void LogitsDeclaredAsProbabilitiesFailOnTheFirstOutOfRangeRow()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        using var scorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = s_export.ModelPath,
            InputColumnNames = ["Features"],
            ScoreOutputName = "Score.output",
            OutputKind = OnnxOutputKind.Probabilities,
        }).Fit(data);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => scorer.Transform(data).GetColumn<float>("Score").ToArray());
        StringAssert.Contains(e.Message, "output 'Score.output' was read as probabilities");
        StringAssert.Contains(e.Message, nameof(OnnxOutputKind.Logits));
    }

    [TestMethod]
    public void NaNOutputNamesTheOutputAndRowPosition()
    {
        var ml = new MLContext(seed: 1);
        var photos = RealPhotos.All().Take(11).ToArray();
        var pixels = OnnxScoringTestHelpers.VectorColumn(
            OnnxScoringTestHelpers.Pixels(ml, photos, "x", 192, 48, interleave: false, scale: 2f / 255f, offset: -127.5f), "x");
        pixels[9][1234] = float.NaN; // the convolutions spread it to that row's softmax
        var data = ml.Data.LoadFromEnumerable(pixels.Select(p => new PaddleRow { X = p }));
        using var scorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = TestAssets.PaddleOrientationClassifier,
            InputColumnNames = ["x"],
            ShapeDictionary = new Dictionary<string, int[]> { ["x"] = [-1, 3, 48, 192] },
            BatchSize = 4,
        }).Fit(data);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => scorer.Transform(data).GetColumn<VBuffer<float>>("Score").ToArray());
        StringAssert.Contains(e.Message, "output 'softmax_0.tmp_0' is NaN");
        StringAssert.Contains(e.Message, "row position 9");
        StringAssert.Contains(e.Message, "ch_ppocr_mobile_v2.0_cls_infer.onnx");
    }

    [TestMethod]
    public void RuntimeFailureNamesTheModelAndTheBatchRows()
    {
        var ml = new MLContext(seed: 1);
        var rows = s_export.Rows.Take(40).Select(r => new DigitRow { Id = r.Id, Features = r.Features.ToArray() }).ToList();
        rows[37].Features[300] = float.NaN; // the export's Binarizer node (PredictedLabel) refuses NaN
        var data = ml.Data.LoadFromEnumerable(rows);
        using var scorer = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", batchSize: 16).Fit(data);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => scorer.Transform(data).GetColumn<float>("Score").ToArray());
        StringAssert.Contains(e.Message, "mnist9-sdca.onnx");
        StringAssert.Contains(e.Message, "positions 32..39");
        Assert.IsInstanceOfType<OnnxRuntime.OnnxRuntimeException>(e.InnerException);
    }

    [TestMethod]
    public void InvalidOptionsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var e1 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", batchSize: 0).Fit(data));
        StringAssert.Contains(e1.Message, nameof(OnnxScoringOptions.BatchSize));
        var e2 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = s_export.ModelPath,
            InputColumnNames = ["Features"],
            PositiveClassIndex = 1,
        }).Fit(data));
        StringAssert.Contains(e2.Message, nameof(OnnxScoringOptions.PositiveClassIndex));
        var e3 = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions { ModelPath = s_export.ModelPath }).Fit(data));
        StringAssert.Contains(e3.Message, nameof(OnnxScoringOptions.InputColumnNames));
    }

    [TestMethod]
    public void BatchSizeBeyondTheBoundAndANegativeGpuAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var huge = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", batchSize: int.MaxValue).Fit(data));
        StringAssert.Contains(huge.Message, nameof(OnnxScoringOptions.BatchSize));
        StringAssert.Contains(huge.Message, OnnxBatchScorer.MaxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var gpu = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", gpuDeviceId: -1).Fit(data));
        StringAssert.Contains(gpu.Message, nameof(OnnxScoringOptions.GpuDeviceId));
        // The options overload checks them when the estimator is made, before any GetOutputSchema or Fit.
        var early = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ScoreOnnxBatched(
            new OnnxScoringOptions { ModelPath = s_export.ModelPath, InputColumnNames = ["Features"], BatchSize = 0 }));
        Assert.AreEqual(nameof(OnnxScoringOptions.BatchSize), early.ParamName);

        // The largest batch on a view of fewer rows: its buffers are sized by the rows, and the scores are those of small batches.
        using var largest = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", batchSize: OnnxBatchScorer.MaxBatchSize).Fit(data);
        using var small = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", batchSize: 7).Fit(data);
        // ONNX Runtime's kernels sum in an order that depends on the batch: equal to rounding.
        OnnxScoringTestHelpers.AssertClose(small.Transform(data).GetColumn<float>("Score").ToArray(), largest.Transform(data).GetColumn<float>("Score").ToArray(), 1e-5, "scores");
    }

    [TestMethod]
    public void AnInfiniteLogitUnderTheSoftmaxIsNamedLikeANaN()
    {
        var ml = new MLContext(seed: 1);
        var model = IdentityOnnxModel.Write(Path.Combine(s_export.Folder, "identity3.onnx"), valuesPerRow: 3);
        var rows = new[] { new LogitRow { X = [1, 0, -1] }, new LogitRow { X = [0.5f, 2, 0] }, new LogitRow { X = [float.PositiveInfinity, 0, 1] } };
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new OnnxScoringOptions { ModelPath = model, InputColumnNames = ["X"], OutputKind = OnnxOutputKind.Logits, PositiveClassIndex = 0 };
        using var scorer = ml.Transforms.ScoreOnnxBatched(options).Fit(data);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => scorer.Transform(data).GetColumn<float>("Probability").ToArray());
        StringAssert.Contains(e.Message, "output 'Y' is infinite");
        StringAssert.Contains(e.Message, "row position 2");

        // The finite rows alone: the softmax of the logits, as a reference computes it.
        var finite = ml.Data.LoadFromEnumerable(rows.Take(2));
        var probabilities = scorer.Transform(finite).GetColumn<float>("Probability").ToArray();
        for (var r = 0; r < 2; r++)
        {
            var x = rows[r].X.Select(v => (double)v).ToArray();
            Assert.AreEqual(Math.Exp(x[0]) / x.Sum(Math.Exp), probabilities[r], 1e-6);
        }
    }

    private sealed class LogitRow
    {
        [VectorType(3)] public float[] X { get; set; } = [];
    }

    [TestMethod]
    public void SavingPointsToSavingTheDownstreamModel()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        using var scorer = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features").Fit(data);
        Assert.IsFalse(((ITransformer)scorer).IsRowToRowMapper);
        Assert.ThrowsExactly<NotSupportedException>(() => scorer.GetRowToRowMapper(data.Schema));
        var path = Path.Combine(s_export.Folder, "scorer.zip");
        var e = Assert.Throws<Exception>(() => ml.Model.Save(scorer, data.Schema, path));
        var notSupported = e as NotSupportedException ?? e.InnerException as NotSupportedException;
        Assert.IsNotNull(notSupported, e.ToString());
        StringAssert.Contains(notSupported.Message, "Save only the downstream model");
    }

    [TestMethod]
    public void DisposedScorerRefusesToScore()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var scorer = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features").Fit(data);
        var view = scorer.Transform(data);
        scorer.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => view.GetColumn<float>("Score").ToArray());
        Assert.ThrowsExactly<ObjectDisposedException>(() => scorer.Transform(data));
    }

    public sealed class DoubleRow
    {
        [VectorType(784)]
        public double[] Features { get; set; } = [];
    }

    public sealed class PaddleRow
    {
        [ColumnName("x")]
        [VectorType(3 * 48 * 192)]
        public float[] X { get; set; } = [];
    }

    public sealed class ShortRow
    {
        [VectorType(10)]
        public float[] Features { get; set; } = [];
    }
}
