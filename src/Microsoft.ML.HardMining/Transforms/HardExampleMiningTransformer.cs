using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

/// <summary>
/// The fitted miner. <see cref="Transform"/> returns the mined rows of the view it was fitted on and every other view unchanged;
/// it saves, loads and predicts as the identity. See <see cref="HardExampleMiningEstimator"/> for the contract.
/// </summary>
public sealed class HardExampleMiningTransformer : ITransformer
{
    // The identity that stands in for this transformer wherever ML.NET needs a saveable row-to-row mapper.
    private static readonly TransformerChain<ITransformer> Identity = new();

    // Weak: a saved or long-lived model must not pin the training set in memory.
    private readonly WeakReference<IDataView> _fittedOn;

    internal HardExampleMiningTransformer(IDataView fittedOn, MiningResult result)
    {
        _fittedOn = new WeakReference<IDataView>(fittedOn);
        Result = result;
    }

    /// <summary>The selection made at fit time: positions, kinds, weights and losses.</summary>
    public MiningResult Result { get; }

    /// <summary>The mining report: rows scanned, selected per class and group, loss quantiles, time.</summary>
    public MiningReport Report => Result.Report;

    /// <summary>True: the transformer maps rows as the identity.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>
    /// <paramref name="inputSchema"/> itself: this is the schema of every view the transformer passes through, which is every
    /// view but the one it was fitted on.
    /// </summary>
    /// <remarks>
    /// In <see cref="MiningOutputMode.Weight"/> mode the mined rows of the fitted view also carry the weight column; only
    /// <see cref="Transform"/> of that very view returns them. <see cref="HardExampleMiningEstimator.GetOutputSchema"/> announces
    /// the column to the chain, so that a trainer reading example weights passes the chain's check before <c>Fit</c>.
    /// </remarks>
    /// <param name="inputSchema">The input schema.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

    /// <summary>The identity mapper.</summary>
    /// <param name="inputSchema">The input schema.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)Identity).GetRowToRowMapper(inputSchema);

    /// <summary>The mined view when <paramref name="input"/> is the view this transformer was fitted on; otherwise <paramref name="input"/> itself.</summary>
    /// <param name="input">A data view.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _fittedOn.TryGetTarget(out var fitted) && ReferenceEquals(fitted, input) ? Result.CreateView(input) : input;
    }

    /// <summary>Saves the identity: what predicts is the downstream model.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)Identity).Save(ctx);
}
