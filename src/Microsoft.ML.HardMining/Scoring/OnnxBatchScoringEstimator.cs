using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>
/// Estimator of <see cref="OnnxBatchScorer"/>: <see cref="Fit"/> opens the model (once) and checks it against the data's columns.
/// Create it with <c>mlContext.Transforms.ScoreOnnxBatched(...)</c>.
/// </summary>
/// <remarks>Nothing is learned: fitting only opens the ONNX Runtime session. Dispose the fitted scorer to release it.</remarks>
public sealed class OnnxBatchScoringEstimator : IEstimator<OnnxBatchScorer>
{
    private readonly IHostEnvironment? _env;
    private readonly OnnxScoringOptions _options;

    internal OnnxBatchScoringEstimator(IHostEnvironment? env, OnnxScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _env = env;
        _options = options.Clone();
        // Checked now, as the other estimators check theirs: GetOutputSchema opens the model on the CPU and would not see these.
        _options.Validate();
    }

    /// <summary>Opens the model and returns a scorer bound to <paramref name="input"/>'s columns.</summary>
    /// <param name="input">Data whose schema the scorer is checked against; no rows are read.</param>
    public OnnxBatchScorer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scorer = new OnnxBatchScorer(_env, _options);
        try
        {
            scorer.GetOutputSchema(input.Schema);
        }
        catch
        {
            scorer.Dispose();
            throw;
        }
        return scorer;
    }

    /// <summary>The input shape plus the score columns. Opens the model on the CPU to read its metadata (no provider line is logged).</summary>
    /// <param name="inputSchema">Shape of the data to score.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var probeOptions = _options.Clone();
        probeOptions.GpuDeviceId = null;
        using var session = OnnxSessionFactory.Open(probeOptions, out _);
        var model = new OnnxModelInfo(Path.GetFullPath(probeOptions.ModelPath), session);
        var inputs = OnnxInputPlan.Create(model, probeOptions);
        var outputs = OnnxOutputPlan.Create(model, probeOptions, inputs.FixedBatch);
        inputs.Check(inputSchema);

        // SchemaShape.Column has no public constructor: let public CustomMapping estimators describe each added column.
        var ml = _env as MLContext ?? new MLContext();
        var shape = inputSchema;
        foreach (var (name, type) in outputs.Columns)
            shape = type is VectorDataViewType ? AddColumn<VectorColumn>(ml, shape, name, type) : AddColumn<ScalarColumn>(ml, shape, name, type);
        return shape;
    }

    private static SchemaShape AddColumn<TColumn>(MLContext ml, SchemaShape shape, string name, DataViewType type)
        where TColumn : class, new()
    {
        var definition = SchemaDefinition.Create(typeof(TColumn));
        definition[0].ColumnName = name;
        definition[0].ColumnType = type;
        return ml.Transforms.CustomMapping<NoColumns, TColumn>((_, _) => { }, contractName: null, outputSchemaDefinition: definition).GetOutputSchema(shape);
    }

    private sealed class NoColumns;

    private sealed class ScalarColumn
    {
        public float Value { get; set; }
    }

    private sealed class VectorColumn
    {
        public float[] Value { get; set; } = [];
    }
}
