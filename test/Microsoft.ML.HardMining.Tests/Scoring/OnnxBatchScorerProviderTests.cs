using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Scoring;
using Microsoft.ML.Runtime;
using static Microsoft.ML.HardMining.Tests.Scoring.OnnxScoringTestHelpers;

namespace Microsoft.ML.HardMining.Tests.Scoring;

/// <summary>Execution providers on this CPU-only machine, with the CUDA build of ONNX Runtime that lacks its CUDA libraries.</summary>
[TestClass]
public sealed class OnnxBatchScorerProviderTests
{
    private static MnistOnnxExport s_export = null!;

    [ClassInitialize]
    public static void Init(TestContext _) => s_export = MnistOnnxExport.Create(perDigit: 5);

    [ClassCleanup]
    public static void Cleanup() => s_export?.Dispose();

    [TestMethod]
    public void CpuByDefaultLogsOneLine()
    {
        var ml = new MLContext(seed: 1);
        var lines = Capture(ml);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        using var scorer = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features").Fit(data);
        _ = scorer.Transform(data).GetColumn<float>("Score").ToArray();
        Assert.AreEqual("CPU execution provider", scorer.ExecutionProvider);
        Assert.HasCount(1, lines, string.Join("\n", lines));
        StringAssert.Contains(lines[0], "runs on the CPU execution provider");
        StringAssert.Contains(lines[0], "mnist9-sdca.onnx");
    }

    [TestMethod]
    public void GpuRequestedWithFallbackRunsOnCpuAndLogsOnce()
    {
        var ml = new MLContext(seed: 1);
        var lines = Capture(ml);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        using var scorer = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", gpuDeviceId: 0, fallbackToCpu: true).Fit(data);
        var scores = scorer.Transform(data).GetColumn<float>("Score").ToArray();

        var reference = ml.Transforms.ApplyOnnxModel(s_export.ModelPath).Fit(data).Transform(data);
        AssertClose(VectorColumn(reference, "Score").Select(v => v[0]).ToArray(), scores, 1e-5, "scores on the fallback provider");
        StringAssert.StartsWith(scorer.ExecutionProvider, "CPU execution provider (fallback: CUDA execution provider on GPU 0 unavailable");
        Assert.HasCount(1, lines, string.Join("\n", lines));
        StringAssert.Contains(lines[0], "CPU execution provider (fallback");
    }

    [TestMethod]
    public void GpuRequestedWithoutFallbackThrowsNamingTheProviderAndLibraries()
    {
        var ml = new MLContext(seed: 1);
        var lines = Capture(ml);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var estimator = ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", gpuDeviceId: 0, fallbackToCpu: false);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => estimator.Fit(data));
        StringAssert.Contains(e.Message, "CUDA execution provider on GPU 0");
        StringAssert.Contains(e.Message, "libcublasLt.so.13");
        StringAssert.Contains(e.Message, "cuDNN");
        StringAssert.Contains(e.Message, nameof(OnnxScoringOptions.FallbackToCpu));
        StringAssert.Contains(e.Message, "mnist9-sdca.onnx");
        Assert.IsEmpty(lines, "nothing ran, nothing logged");
    }

    [TestMethod]
    public void ThreadAndOptimisationOptionsAreAccepted()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        using var scorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = s_export.ModelPath,
            InputColumnNames = ["Features"],
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = OnnxRuntime.GraphOptimizationLevel.ORT_DISABLE_ALL,
        }).Fit(data);
        var reference = ml.Transforms.ApplyOnnxModel(s_export.ModelPath).Fit(data).Transform(data);
        AssertClose(VectorColumn(reference, "Score").Select(v => v[0]).ToArray(), scorer.Transform(data).GetColumn<float>("Score").ToArray(), 1e-5, "unoptimised graph");
    }

    /// <summary>Informational lines from the scorer (the channel's own Trace lines are not counted).</summary>
    private static List<string> Capture(MLContext ml)
    {
        var lines = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source.StartsWith(OnnxBatchScorer.LogSource, StringComparison.Ordinal) && e.Kind != ChannelMessageKind.Trace)
            {
                lock (lines)
                    lines.Add(e.Message);
            }
        };
        return lines;
    }
}
