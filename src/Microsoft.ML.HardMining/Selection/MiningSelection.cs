using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

/// <summary>The selected rows in position order, with their kind, weight and loss, and the per-class counts.</summary>
internal sealed partial class MiningSelection
{
    private readonly SelectionPlan _plan;
    private readonly double[] _hardness;
    private double[]? _losses;

    private MiningSelection(SelectionPlan plan, long[] positions, DataViewRowId[] rowIds, SelectedRowKind[] kinds, float[] weights,
        double[] hardness, int[] classIndexes, ClassReport[] classes, GroupStage.Counters groupCounters,
        IReadOnlyList<KeyValuePair<string, long>>? selectedPerGroup)
    {
        _plan = plan;
        Positions = positions;
        RowIds = rowIds;
        Kinds = kinds;
        Weights = weights;
        _hardness = hardness;
        ClassIndexes = classIndexes;
        Classes = classes;
        GroupCounters = groupCounters;
        SelectedPerGroup = selectedPerGroup;
        IsBinary = plan.IsBinary;
    }

    public long[] Positions { get; }
    public DataViewRowId[] RowIds { get; }
    public SelectedRowKind[] Kinds { get; }
    public float[] Weights { get; }

    /// <summary>Each selected row's loss. Computed at the first read: a pass that only trains on the rows never needs them.</summary>
    public double[] Losses => _losses ??= ComputeLosses();

    public int[] ClassIndexes { get; }
    public ClassReport[] Classes { get; }
    public GroupStage.Counters GroupCounters { get; }
    public IReadOnlyList<KeyValuePair<string, long>>? SelectedPerGroup { get; }
    public bool IsBinary { get; }

    private double[] ComputeLosses()
    {
        var losses = new double[_hardness.Length];
        for (var i = 0; i < losses.Length; i++) losses[i] = _plan.LossOf(ClassIndexes[i], _hardness[i]);
        return losses;
    }
}
