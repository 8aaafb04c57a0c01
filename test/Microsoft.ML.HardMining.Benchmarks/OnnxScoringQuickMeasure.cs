using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Scoring;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// <c>onnx</c> command: rows per second of <see cref="OnnxBatchScorer"/> (batch 1, 32, 256) vs ML.NET's <c>ApplyOnnxModel</c> vs a
/// hand-written <see cref="InferenceSession"/> loop with the same batch, on the same rows and model, passes interleaved so that
/// the ratios come from one run.
/// </summary>
internal static class OnnxScoringQuickMeasure
{
    private sealed record Case(string Method, int Batch, Func<double> Pass);

    public static int Run(string[] args)
    {
        var mnistRows = IntArg(args, "--mnist-rows", 50000);
        var paddleRows = IntArg(args, "--paddle-rows", 256);
        var passes = IntArg(args, "--passes", 5);
        var threads = IntArg(args, "--threads", 1);
        var batches = StringArg(args, "--batches", "1,32,256").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var models = StringArg(args, "--models", "mnist,paddle").Split(',');

        Console.WriteLine($"# ONNX scoring quick measure: {Environment.ProcessorCount} logical CPUs, ONNX Runtime intra-op threads = {threads}, {passes} measured passes after 1 warm-up, interleaved; best pass reported (the CPUs are shared)");
        var folder = Path.Combine(Path.GetTempPath(), "hardmining-onnx-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        try
        {
            var ml = new MLContext(seed: 1);
            if (models.Contains("mnist"))
            {
                // Train on 5,000 real digits; score the 10,000 digits of the package, cycled up to --mnist-rows.
                var digits = OnnxScoringBenchmarkData.Mnist(1000);
                var model = OnnxScoringBenchmarkData.ExportMnistModel(ml, digits.Take(5000).ToList(), folder);
                var rows = Enumerable.Range(0, mnistRows).Select(i => digits[i % digits.Count]).ToList();
                var data = ml.Data.LoadFromEnumerable(rows);
                Measure(ml, $"MNIST 9-vs-rest SDCA, OnnxConverter export ({rows.Count} rows cycling {digits.Count} real digits, 784 floats each)", model, data, "Features",
                    "Score.output", null, passes, threads, batches, new OnnxScoringOptions { ModelPath = model, InputColumnNames = ["Features"] });
            }
            if (models.Contains("paddle"))
            {
                var rows = OnnxScoringBenchmarkData.PaddleRows(ml, paddleRows);
                var data = ml.Data.LoadFromEnumerable(rows);
                var shapes = new Dictionary<string, int[]> { ["x"] = [-1, 3, 48, 192] };
                Measure(ml, $"PaddleOCR text-orientation classifier ({rows.Count} rows of 3x48x192 real-photo tensors)", OnnxScoringBenchmarkData.PaddleModel, data, "x",
                    "softmax_0.tmp_0", shapes, passes, threads, batches,
                    new OnnxScoringOptions { ModelPath = OnnxScoringBenchmarkData.PaddleModel, InputColumnNames = ["x"], ShapeDictionary = shapes });
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    private static void Measure(MLContext ml, string title, string modelPath, IDataView data, string inputColumn, string mlnetOutput,
        IDictionary<string, int[]>? shapes, int passes, int threads, int[] batches, OnnxScoringOptions template)
    {
        long rowCount = data.GetRowCount() ?? throw new InvalidOperationException("row count unknown");
        var inputs = data.GetColumn<VBuffer<float>>(inputColumn).Select(v => v.DenseValues().ToArray()).ToArray();
        var disposables = new List<IDisposable>();
        var cases = new List<Case>();

        // What reading the input column costs by itself (the raw loop gets its rows from arrays for free).
        cases.Add(new Case("IDataView read of the input column only", 0, () => ReadInputs(data, inputColumn)));

        var applyOptions = new OnnxOptions
        {
            ModelFile = modelPath,
            InputColumns = [inputColumn],
            OutputColumns = [mlnetOutput],
            ShapeDictionary = shapes,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        var apply = ml.Transforms.ApplyOnnxModel(applyOptions).Fit(data);
        disposables.Add((IDisposable)apply);
        cases.Add(new Case("ApplyOnnxModel (ML.NET, 1 row per Run)", 1, () => ReadVector(apply.Transform(data), mlnetOutput.Replace(".output", "", StringComparison.Ordinal))));

        foreach (var batch in batches)
        {
            var options = CloneWith(template, batch, threads);
            var scorer = ml.Transforms.ScoreOnnxBatched(options).Fit(data);
            disposables.Add(scorer);
            var outputNames = scorer.Outputs.OutputNames;
            var isVector = scorer.Outputs.IsVector;
            cases.Add(new Case("OnnxBatchScorer (ours)", batch, () => isVector ? ReadVector(scorer.Transform(data), "Score") : ReadScalar(scorer.Transform(data), "Score")));

            var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            var session = new InferenceSession(modelPath, sessionOptions);
            disposables.Add(session);
            disposables.Add(sessionOptions);
            var inputName = scorer.Inputs.Feeds[0].Input.Name;
            cases.Add(new Case("raw InferenceSession loop", batch, () => RawLoop(session, inputName, outputNames, inputs, batch)));
            cases.Add(new Case("raw InferenceSession loop fed by an IDataView cursor", batch, () => RawLoopFromView(session, inputName, outputNames, data, inputColumn, batch)));
        }

        // Interleave the passes of all cases so that a noisy neighbour hurts all of them alike.
        foreach (var c in cases)
            c.Pass();
        var times = cases.ToDictionary(c => c, _ => new List<double>());
        for (int p = 0; p < passes; p++)
        {
            foreach (var c in cases)
            {
                var watch = Stopwatch.StartNew();
                var check = c.Pass();
                watch.Stop();
                if (double.IsNaN(check))
                    throw new InvalidOperationException($"{c.Method} produced NaN");
                times[c].Add(watch.Elapsed.TotalSeconds);
            }
        }

        double Best(Case c) => times[c].Min(); // best pass: the least disturbed by other processes
        var applyCase = cases.Single(c => c.Method.StartsWith("ApplyOnnxModel", StringComparison.Ordinal));
        var readCase = cases[0];
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine("| method | batch | rows/s | µs/row | x ApplyOnnxModel | x raw ORT (same batch) | x raw ORT fed by IDataView | overhead vs raw, µs/row | overhead vs raw fed by IDataView, µs/row |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        foreach (var c in cases)
        {
            var seconds = Best(c);
            var perRow = seconds / rowCount * 1e6;
            var vsApply = Best(applyCase) / seconds;
            string vsRaw = "", vsRawView = "", overhead = "", overheadView = "";
            if (c.Method.StartsWith("OnnxBatchScorer", StringComparison.Ordinal))
            {
                var raw = Best(cases.Single(r => r.Method == "raw InferenceSession loop" && r.Batch == c.Batch));
                var rawView = Best(cases.Single(r => r.Method.StartsWith("raw InferenceSession loop fed", StringComparison.Ordinal) && r.Batch == c.Batch));
                vsRaw = F(raw / seconds);
                vsRawView = F(rawView / seconds);
                overhead = F((seconds - raw) / rowCount * 1e6);
                overheadView = F((seconds - rawView) / rowCount * 1e6);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Method} | {(c.Batch == 0 ? "-" : c.Batch.ToString(CultureInfo.InvariantCulture))} | {rowCount / seconds:0} | {perRow:0.00} | {(c == readCase ? "" : F(vsApply))} | {vsRaw} | {vsRawView} | {overhead} | {overheadView} |"));
        }

        foreach (var d in disposables.AsEnumerable().Reverse())
            d.Dispose();
    }

    private static OnnxScoringOptions CloneWith(OnnxScoringOptions template, int batch, int threads)
    {
        var options = template.Clone();
        options.BatchSize = batch;
        options.IntraOpNumThreads = threads;
        options.InterOpNumThreads = 1;
        return options;
    }

    private static double ReadInputs(IDataView data, string column)
    {
        double sum = 0;
        using var cursor = data.GetRowCursor([data.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[column]);
        VBuffer<float> value = default;
        float[] scratch = [];
        while (cursor.MoveNext())
        {
            getter(ref value);
            if (scratch.Length != value.Length)
                scratch = new float[value.Length];
            value.CopyTo(scratch);
            sum += scratch[0];
        }
        return sum;
    }

    private static double ReadScalar(IDataView view, string column)
    {
        double sum = 0;
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        var getter = cursor.GetGetter<float>(view.Schema[column]);
        float value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            sum += value;
        }
        return sum;
    }

    private static double ReadVector(IDataView view, string column)
    {
        double sum = 0;
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            sum += value.GetValues()[0];
        }
        return sum;
    }

    /// <summary>The hand-written reference: rows already in arrays, copied into one batch buffer, one Run per batch, outputs copied out.</summary>
    private static double RawLoop(InferenceSession session, string inputName, string[] outputNames, float[][] rows, int batch)
    {
        int size = rows[0].Length;
        var buffer = new float[batch * size];
        var scores = new float[rows.Length];
        var dims = session.InputMetadata[inputName].Dimensions;
        var shape = new long[dims.Length];
        shape[1] = size;
        if (dims.Length == 4)
        {
            shape[1] = 3;
            shape[2] = 48;
            shape[3] = 192;
        }
        string[] inputNames = [inputName];
        using var runOptions = new RunOptions();
        for (int start = 0; start < rows.Length; start += batch)
        {
            int n = Math.Min(batch, rows.Length - start);
            for (int r = 0; r < n; r++)
                rows[start + r].CopyTo(buffer, r * size);
            shape[0] = n;
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * size), shape);
            using var outputs = session.Run(runOptions, inputNames, [input], outputNames);
            var values = outputs[0].GetTensorDataAsSpan<float>();
            int perRow = values.Length / n;
            for (int r = 0; r < n; r++)
                scores[start + r] = values[r * perRow];
        }
        return scores.Sum();
    }

    /// <summary>The raw loop again, but reading its rows from the same IDataView column as the scorer does (the least plumbing possible).</summary>
    private static double RawLoopFromView(InferenceSession session, string inputName, string[] outputNames, IDataView data, string column, int batch)
    {
        var dims = session.InputMetadata[inputName].Dimensions;
        int size = dims.Length == 4 ? 3 * 48 * 192 : dims[1];
        var shape = dims.Length == 4 ? new long[] { 0, 3, 48, 192 } : new long[] { 0, size };
        var buffer = new float[batch * size];
        double sum = 0;
        string[] inputNames = [inputName];
        using var runOptions = new RunOptions();
        using var cursor = data.GetRowCursor([data.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[column]);
        VBuffer<float> value = default;
        bool more = true;
        while (more)
        {
            int n = 0;
            while (n < batch && (more = cursor.MoveNext()))
            {
                getter(ref value);
                value.CopyTo(buffer.AsSpan(n * size, size));
                n++;
            }
            if (n == 0)
                break;
            shape[0] = n;
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * size), shape);
            using var outputs = session.Run(runOptions, inputNames, [input], outputNames);
            var values = outputs[0].GetTensorDataAsSpan<float>();
            int perRow = values.Length / n;
            for (int r = 0; r < n; r++)
                sum += values[r * perRow];
        }
        return sum;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
