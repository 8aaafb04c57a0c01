using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Scoring;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// BenchmarkDotNet version of the MNIST case of the <c>onnx</c> quick command (short run): scoring 2,000 real digits with an
/// OnnxConverter export through ApplyOnnxModel and through <see cref="OnnxBatchScorer"/> at several batch sizes.
/// </summary>
[ShortRunJob(RuntimeMoniker.Net10_0)]
[MemoryDiagnoser]
public class OnnxScoringBenchmarks
{
    private string _folder = "";
    private IDataView _data = null!;
    private ITransformer _apply = null!;
    private OnnxBatchScorer _scorer = null!;

    /// <summary>Rows per ONNX Runtime call for the batched scorer.</summary>
    [Params(1, 32, 256)]
    public int Batch { get; set; }

    /// <summary>Trains and exports the model, opens both scorers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        _folder = Path.Combine(Path.GetTempPath(), "hardmining-onnx-bdn-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var rows = OnnxScoringBenchmarkData.Mnist(200);
        var model = OnnxScoringBenchmarkData.ExportMnistModel(ml, rows, _folder);
        _data = ml.Data.LoadFromEnumerable(rows);
        _apply = ml.Transforms.ApplyOnnxModel(["Score.output"], ["Features"], model).Fit(_data);
        _scorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions { ModelPath = model, InputColumnNames = ["Features"], BatchSize = Batch, IntraOpNumThreads = 1 }).Fit(_data);
    }

    /// <summary>Releases the sessions and the exported model.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _scorer.Dispose();
        (_apply as IDisposable)?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>ML.NET's ApplyOnnxModel: one Run per row (the batch parameter does not apply).</summary>
    [Benchmark(Baseline = true)]
    public float ApplyOnnxModel()
    {
        float sum = 0;
        foreach (var v in _apply.Transform(_data).GetColumn<VBuffer<float>>("Score"))
            sum += v.GetValues()[0];
        return sum;
    }

    /// <summary>Our batched scorer.</summary>
    [Benchmark]
    public float OnnxBatchScorer()
    {
        float sum = 0;
        foreach (var v in _scorer.Transform(_data).GetColumn<float>("Score"))
            sum += v;
        return sum;
    }
}
