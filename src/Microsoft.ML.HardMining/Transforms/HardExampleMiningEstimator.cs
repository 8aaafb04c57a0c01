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
    /// Checks, before any data is read, that every column the options name exists with a type the miner can read (the score,
    /// probability and loss columns only without a <see cref="HardExampleMiningOptions.Scorer"/>, whose output holds them);
    /// returns the input shape, plus the weight column in <see cref="MiningOutputMode.Weight"/> mode.
    /// </summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will get.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names the column and the option.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        MinedColumnTypes.Check(_options,
            name => inputSchema.Where(c => c.Name == name).Select(c => (MinedColumnTypes.ColumnType?)MinedColumnTypes.ColumnType.Of(c)).LastOrDefault(),
            () => string.Join(", ", inputSchema.Select(c => $"'{c.Name}' ({MinedColumnTypes.ColumnType.Of(c).Description})")),
            scoresFromScorer: _options.Scorer is not null);
        if (_options.Output != MiningOutputMode.Weight)
            return inputSchema;

        return SingleColumnShape.Add(inputSchema, _options.WeightColumnName, _options.LabelColumnName);
    }
}
