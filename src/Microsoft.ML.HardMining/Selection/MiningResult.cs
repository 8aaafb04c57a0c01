using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Data;

namespace Microsoft.ML.HardMining;

/// <summary>The rows a mining run selected, in the order the data view enumerates them, and its report.</summary>
public sealed class MiningResult
{
    private readonly MiningSelection _selection;

    internal MiningResult(MiningSelection selection, MiningReport report, HardExampleMiningOptions options)
    {
        _selection = selection;
        Report = report;
        Options = options;
    }

    /// <summary>Zero-based positions of the selected rows in the scanned view, ascending.</summary>
    public IReadOnlyList<long> SelectedPositions => _selection.Positions;

    /// <summary>Why each selected row was chosen, parallel to <see cref="SelectedPositions"/>.</summary>
    public IReadOnlyList<SelectedRowKind> Kinds => _selection.Kinds;

    /// <summary>Each selected row's weight for <see cref="MiningOutputMode.Weight"/>, parallel to <see cref="SelectedPositions"/>.</summary>
    public IReadOnlyList<float> Weights => _selection.Weights;

    /// <summary>Each selected row's loss, parallel to <see cref="SelectedPositions"/>.</summary>
    public IReadOnlyList<double> Losses => _selection.Losses;

    /// <summary>Each selected row's class (0 = negative, 1 = positive for a binary label), parallel to <see cref="SelectedPositions"/>.</summary>
    public IReadOnlyList<int> ClassIndexes => _selection.ClassIndexes;

    /// <summary>Counts, loss histograms and timings.</summary>
    public MiningReport Report { get; }

    internal HardExampleMiningOptions Options { get; }

    internal IReadOnlyList<DataViewRowId> RowIds => _selection.RowIds;

    /// <summary>
    /// A lazy view of the selected rows of <paramref name="source"/>, which must enumerate its rows in the same order as the
    /// mined view (the same view, or one built from it row for row). In <see cref="MiningOutputMode.Weight"/> mode it adds the weight column.
    /// </summary>
    /// <param name="source">The data the positions refer to.</param>
    public IDataView CreateView(IDataView source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var weights = Options.Output == MiningOutputMode.Weight ? _selection.Weights : null;
        return new RowSubsetDataView(source, _selection.Positions, _selection.RowIds, weights, Options.WeightColumnName);
    }
}
