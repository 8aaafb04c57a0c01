using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

internal sealed partial class MiningSelection
{
    /// <summary>
    /// Collects the selected rows in the order the assembler picks them, one array per field, and puts them in position order
    /// once at the end: a pass's result costs a few numbers per row, not a copy of every candidate.
    /// </summary>
    /// <remarks>Its own arrays come from the shared pool and go back in <see cref="Build"/>: only the result's arrays are new
    /// (keeping 10,000 rows, the builder's 450 KB per pass were fresh large-object pages).</remarks>
    internal sealed class Builder(int capacity)
    {
        private long[] _positions = ScratchArrays.Rent<long>(capacity);
        private DataViewRowId[] _rowIds = ScratchArrays.Rent<DataViewRowId>(capacity);
        private SelectedRowKind[] _kinds = ScratchArrays.Rent<SelectedRowKind>(capacity);
        private float[] _weights = ScratchArrays.Rent<float>(capacity);
        private double[] _hardness = ScratchArrays.Rent<double>(capacity);
        private int[] _classIndexes = ScratchArrays.Rent<int>(capacity);
        private int[] _groupIndexes = ScratchArrays.Rent<int>(capacity);

        public int Count { get; private set; }

        public void Add(in MiningCandidate candidate, SelectedRowKind kind, float weight)
        {
            var i = Count++;
            _positions[i] = candidate.Position;
            _rowIds[i] = candidate.RowId;
            _kinds[i] = kind;
            _weights[i] = weight;
            _hardness[i] = candidate.Hardness;
            _classIndexes[i] = candidate.ClassIndex;
            _groupIndexes[i] = candidate.GroupIndex;
        }

        /// <summary>Sets the weight of the rows added from <paramref name="start"/> on (the random share's, once it is counted).</summary>
        public void SetWeightsFrom(int start, float weight) => _weights.AsSpan(start, Count - start).Fill(weight);

        /// <summary>The selection, in position order; the builder is unusable afterwards.</summary>
        // Once per pass: compiled fully at once rather than run at tier 0 (it copies every selected row's fields).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public MiningSelection Build(SelectionPlan plan, ClassReport[] classes, GroupStage.Counters groupCounters, IReadOnlyList<string>? groupNames)
        {
            var n = Count;
            // Positions are unique: sorting them as plain numbers, with the pick order alongside, orders every field.
            var order = ScratchArrays.Rent<int>(n);
            for (var i = 0; i < n; i++) order[i] = i;
            PositionSort.Sort(_positions.AsSpan(0, n), order.AsSpan(0, n));

            var positions = _positions.AsSpan(0, n).ToArray();
            var rowIds = new DataViewRowId[n];
            var kinds = new SelectedRowKind[n];
            var weights = new float[n];
            var hardness = new double[n];
            var classIndexes = new int[n];
            var perGroup = groupNames is null ? null : new long[groupNames.Count];
            for (var i = 0; i < n; i++)
            {
                var from = order[i];
                rowIds[i] = _rowIds[from];
                kinds[i] = _kinds[from];
                weights[i] = _weights[from];
                hardness[i] = _hardness[from];
                classIndexes[i] = _classIndexes[from];
                if (perGroup is not null && _groupIndexes[from] >= 0) perGroup[_groupIndexes[from]]++;
            }
            ScratchArrays.Return(order);
            Release();
            var selectedPerGroup = perGroup is null ? null
                : groupNames!.Select((name, i) => new KeyValuePair<string, long>(name, perGroup[i])).ToArray();
            return new MiningSelection(plan, positions, rowIds, kinds, weights, hardness, classIndexes, classes, groupCounters, selectedPerGroup);
        }

        private void Release()
        {
            ScratchArrays.Return(_positions);
            ScratchArrays.Return(_rowIds);
            ScratchArrays.Return(_kinds);
            ScratchArrays.Return(_weights);
            ScratchArrays.Return(_hardness);
            ScratchArrays.Return(_classIndexes);
            ScratchArrays.Return(_groupIndexes);
            (_positions, _rowIds, _kinds, _weights, _hardness, _classIndexes, _groupIndexes) = ([], [], [], [], [], [], []);
        }
    }
}
