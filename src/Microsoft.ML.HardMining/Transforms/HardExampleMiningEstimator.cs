using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining;

/// <summary>
/// The estimator behind <c>mlContext.Transforms.HardExampleMining</c>: its <see cref="Fit"/> mines the data it is given and
/// returns a <see cref="HardExampleMiningTransformer"/> that hands the mined rows to the next estimator of the chain.
/// </summary>
/// <remarks>
/// <para><b>A training-time step.</b> ML.NET does not let an outside assembly map data differently during training, so the
/// contract is: the fitted transformer returns the mined view for the very <see cref="IDataView"/> instance it was fitted on
/// (which is what <c>EstimatorChain.Fit</c> passes on to the trainer), and passes every other view through unchanged. It saves
/// as the identity, so the saved model predicts exactly like the downstream model, and works under <c>PredictionEngine</c>.</para>
/// <para>The mined positions refer to the order in which the fitted view enumerates its rows; the mined view checks row ids and
/// throws if the source enumerates differently. Place the miner right after the loader or a cache checkpoint.</para>
/// </remarks>
public sealed class HardExampleMiningEstimator : IEstimator<HardExampleMiningTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly HardExampleMiningOptions _options;

    internal HardExampleMiningEstimator(IHostEnvironment environment, HardExampleMiningOptions options)
    {
        _environment = environment;
        _options = options.Clone();
        _options.Validate();
    }

    /// <summary>A copy of the options this estimator mines with.</summary>
    public HardExampleMiningOptions Options => _options.Clone();

    /// <summary>Mines <paramref name="input"/> and returns the transformer that exposes the mined rows of it.</summary>
    /// <param name="input">The training data; never modified.</param>
    public HardExampleMiningTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = HardExampleMiner.Mine(_environment, input, _options);
        return new HardExampleMiningTransformer(input, result);
    }

    /// <summary>
    /// Checks that the label column exists with a usable type and, without a scorer, that the score column exists; returns the
    /// input shape, plus the weight column in <see cref="MiningOutputMode.Weight"/> mode.
    /// </summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will get.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = Require(inputSchema, _options.LabelColumnName, nameof(HardExampleMiningOptions.LabelColumnName));
        var labelOk = _options.Loss == MiningLossKind.CrossEntropy
            ? label.IsKey
            : label.Kind == SchemaShape.Column.VectorKind.Scalar && (label.ItemType is BooleanDataViewType || label.ItemType == NumberDataViewType.Single || label.ItemType == NumberDataViewType.Double);
        if (!labelOk)
            throw new ArgumentOutOfRangeException(nameof(HardExampleMiningOptions.LabelColumnName),
                $"Column '{label.Name}' ({nameof(HardExampleMiningOptions)}.{nameof(HardExampleMiningOptions.LabelColumnName)}) is {label.ItemType}{(label.IsKey ? " key" : "")}: " +
                (_options.Loss == MiningLossKind.CrossEntropy ? "the cross-entropy loss needs a key label." : "a binary loss needs a Boolean, Single or Double label."));
        if (_options.Scorer is null)
        {
            if (_options.Loss == MiningLossKind.Column)
                Require(inputSchema, _options.LossColumnName!, nameof(HardExampleMiningOptions.LossColumnName));
            else if (_options.ProbabilityColumnName is not null && _options.Loss is MiningLossKind.LogLoss or MiningLossKind.Squared or MiningLossKind.Focal)
                Require(inputSchema, _options.ProbabilityColumnName, nameof(HardExampleMiningOptions.ProbabilityColumnName));
            else
                Require(inputSchema, _options.ScoreColumnName, nameof(HardExampleMiningOptions.ScoreColumnName));
        }
        if (_options.GroupColumnName is not null) Require(inputSchema, _options.GroupColumnName, nameof(HardExampleMiningOptions.GroupColumnName));
        if (_options.BoxColumnName is not null) Require(inputSchema, _options.BoxColumnName, nameof(HardExampleMiningOptions.BoxColumnName));
        if (_options.Output != MiningOutputMode.Weight)
            return inputSchema;

        // SchemaShape.Column has no public constructor; a type conversion estimator describes a Single scalar column for us.
        var weightShape = new MLContext().Transforms.Conversion
            .ConvertType(_options.WeightColumnName, _options.LabelColumnName, DataKind.Single)
            .GetOutputSchema(inputSchema);
        var weight = weightShape.Last(c => c.Name == _options.WeightColumnName);
        return new SchemaShape(inputSchema.Where(c => c.Name != _options.WeightColumnName).Append(weight));
    }

    private static SchemaShape.Column Require(SchemaShape shape, string name, string option)
    {
        foreach (var column in shape)
            if (column.Name == name) return column;
        throw new ArgumentOutOfRangeException(option,
            $"Column '{name}' ({nameof(HardExampleMiningOptions)}.{option}) is not in the data. Columns present: {string.Join(", ", shape.Select(c => "'" + c.Name + "'"))}. " +
            "Name an existing column, or set a Scorer that adds it.");
    }
}
