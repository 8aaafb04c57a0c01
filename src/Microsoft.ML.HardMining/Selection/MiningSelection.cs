using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

/// <summary>The selected rows in position order, with their kind, weight and loss, and the per-class counts.</summary>
internal sealed class MiningSelection
{
    public MiningSelection(SelectionPlan plan, List<(MiningCandidate Candidate, SelectedRowKind Kind, float Weight)> rows,
        ClassReport[] classes, GroupStage.Counters groupCounters, IReadOnlyList<string>? groupNames)
    {
        Positions = new long[rows.Count];
        RowIds = new DataViewRowId[rows.Count];
        Kinds = new SelectedRowKind[rows.Count];
        Weights = new float[rows.Count];
        Losses = new double[rows.Count];
        ClassIndexes = new int[rows.Count];
        var perGroup = groupNames is null ? null : new long[groupNames.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (c, kind, weight) = rows[i];
            Positions[i] = c.Position;
            RowIds[i] = c.RowId;
            Kinds[i] = kind;
            Weights[i] = weight;
            Losses[i] = plan.LossOf(c.ClassIndex, c.Hardness);
            ClassIndexes[i] = c.ClassIndex;
            if (perGroup is not null && c.GroupIndex >= 0) perGroup[c.GroupIndex]++;
        }
        Classes = classes;
        GroupCounters = groupCounters;
        if (perGroup is not null)
            SelectedPerGroup = groupNames!.Select((name, i) => new KeyValuePair<string, long>(name, perGroup[i])).ToArray();
        IsBinary = plan.IsBinary;
    }

    public long[] Positions { get; }
    public DataViewRowId[] RowIds { get; }
    public SelectedRowKind[] Kinds { get; }
    public float[] Weights { get; }
    public double[] Losses { get; }
    public int[] ClassIndexes { get; }
    public ClassReport[] Classes { get; }
    public GroupStage.Counters GroupCounters { get; }
    public IReadOnlyList<KeyValuePair<string, long>>? SelectedPerGroup { get; }
    public bool IsBinary { get; }
}
