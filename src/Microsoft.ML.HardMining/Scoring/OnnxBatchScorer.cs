using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>
/// Scores any <see cref="IDataView"/> with an ONNX model, feeding ONNX Runtime batches of rows, and exposes the outputs as
/// score / probability columns that hard-example mining and its losses understand.
/// </summary>
/// <remarks>
/// <para>The <see cref="InferenceSession"/> is opened once, when the scorer is created, and released by <see cref="Dispose"/>.
/// <see cref="Transform"/> is lazy: rows are read from the source and scored batch by batch as a cursor moves; each cursor of a
/// cursor set scores its own batches on the shared session (ONNX Runtime's <c>Run</c> is thread-safe).</para>
/// <para>Output columns (names from <see cref="OnnxScoringOptions"/>): for one value per row, <c>Score</c> (float: the raw score or
/// logit) and <c>Probability</c> (float); for K values per row, <c>Score</c> (vector of K class probabilities) and, with
/// <see cref="OnnxScoringOptions.PositiveClassIndex"/>, <c>Probability</c>; optionally a raw output column.</para>
/// <para>Limits: the scorer cannot be saved inside an ML.NET model (<see cref="ICanSaveModel.Save"/> throws
/// <see cref="NotSupportedException"/>: a saveable custom transformer needs ML.NET internals) and it is not a row-to-row mapper
/// (<see cref="IsRowToRowMapper"/> is <see langword="false"/>), so it cannot sit inside a <c>PredictionEngine</c>. Use it to score
/// data views (for mining or evaluation), and save only the downstream model.</para>
/// </remarks>
public sealed class OnnxBatchScorer : ITransformer, IDisposable
{
    private readonly InferenceSession _session;
    private int _disposed;

    /// <summary>Opens the model and creates a scorer. The options are copied.</summary>
    /// <param name="mlContext">Context whose <see cref="MLContext.Log"/> receives the one line saying which execution provider runs.</param>
    /// <param name="options">Model, columns, outputs and execution provider.</param>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">The model file is not a loadable ONNX model.</exception>
    /// <exception cref="ArgumentException">The options do not fit the model's inputs or outputs.</exception>
    /// <exception cref="InvalidOperationException">CUDA was asked for, could not start, and <see cref="OnnxScoringOptions.FallbackToCpu"/> is off.</exception>
    public OnnxBatchScorer(MLContext mlContext, OnnxScoringOptions options)
        : this((IHostEnvironment)(mlContext ?? throw new ArgumentNullException(nameof(mlContext))), options)
    {
    }

    /// <summary>The largest <see cref="OnnxScoringOptions.BatchSize"/> accepted.</summary>
    public const int MaxBatchSize = 1 << 16;

    internal OnnxBatchScorer(IHostEnvironment? env, OnnxScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Clone();
        Options.Validate();
        _session = OnnxSessionFactory.Open(Options, out var provider);
        try
        {
            Model = new OnnxModelInfo(Path.GetFullPath(Options.ModelPath), _session);
            Inputs = OnnxInputPlan.Create(Model, Options);
            Outputs = OnnxOutputPlan.Create(Model, Options, Inputs.FixedBatch);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        BatchSize = Inputs.FixedBatch ?? Options.BatchSize;
        ExecutionProvider = provider;
        var batchText = Inputs.FixedBatch is int fixedBatch
            ? string.Create(CultureInfo.InvariantCulture, $"fixed batch {fixedBatch}")
            : string.Create(CultureInfo.InvariantCulture, $"batches of {BatchSize}");
        if (env is not null)
            MiningLog.Info(env, LogSource, $"Model '{Model.ModelFileName}' runs on the {provider}, {batchText}; output '{Outputs.ScoreOutput.Name}' read as {Outputs.Kind}.");
    }

    /// <summary>Source name of the scorer's line in <see cref="MLContext.Log"/>.</summary>
    public const string LogSource = "OnnxBatchScorer";

    /// <summary>Which execution provider runs the model, e.g. <c>CPU execution provider</c> or <c>CUDA execution provider on GPU 0</c> (with the fallback reason when CUDA failed).</summary>
    public string ExecutionProvider { get; }

    /// <summary>Rows per <c>Run</c> call: the model's fixed batch size, or <see cref="OnnxScoringOptions.BatchSize"/> for a dynamic batch axis.</summary>
    public int BatchSize { get; }

    /// <summary>Always <see langword="false"/>: the scorer reads rows ahead in batches, so it offers no row-to-row mapper.</summary>
    public bool IsRowToRowMapper => false;

    internal OnnxScoringOptions Options { get; }

    internal OnnxModelInfo Model { get; }

    internal OnnxInputPlan Inputs { get; }

    internal OnnxOutputPlan Outputs { get; }

    internal InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _session;
        }
    }

    /// <summary>The input schema plus the score columns; checks that the input columns fit the model.</summary>
    /// <param name="inputSchema">Schema of the data to score.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        Inputs.Bind(inputSchema);
        return BuildSchema(inputSchema);
    }

    /// <summary>Not supported: the scorer reads rows in batches (<see cref="IsRowToRowMapper"/> is <see langword="false"/>).</summary>
    /// <param name="inputSchema">Ignored.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new NotSupportedException(
            "OnnxBatchScorer scores rows in batches and has no row-to-row mapper, so it cannot be used by a PredictionEngine. " +
            "Score data views with Transform, or use ML.NET's ApplyOnnxModel for single-row prediction.");

    /// <summary>Returns a lazy view of <paramref name="input"/> with the score columns added; nothing is scored until a cursor moves.</summary>
    /// <param name="input">Data to score; never modified.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var bindings = Inputs.Bind(input.Schema);
        return new OnnxScoredDataView(this, input, bindings, BuildSchema(input.Schema));
    }

    /// <summary>Not supported: ML.NET keeps the API for saveable custom transformers internal.</summary>
    /// <param name="ctx">Ignored.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(
            $"OnnxBatchScorer (model '{Model.ModelFileName}') cannot be saved in an ML.NET model: ML.NET keeps the API for saveable custom transformers internal. " +
            "Save only the downstream model (the one trained on the mined rows) and keep the .onnx file beside it; to score later, create the scorer again " +
            "with mlContext.Transforms.ScoreOnnxBatched(...), or use ML.NET's ApplyOnnxModel, which can be saved.");

    /// <summary>Releases the ONNX Runtime session. Views created by <see cref="Transform"/> cannot be read afterwards.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _session.Dispose();
    }

    private DataViewSchema BuildSchema(DataViewSchema inputSchema)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var (name, type) in Outputs.Columns)
            builder.AddColumn(name, type);
        return builder.ToSchema();
    }
}
