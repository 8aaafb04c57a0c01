using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Trainers;

/// <summary>
/// A lazy view of the rows of a source view at given sorted positions, optionally with an extra Single weight column.
/// A private stand-in for the core's <c>RowSubsetDataView</c> until it lands; rows keep the source's row ids.
/// </summary>
internal sealed class PositionSubsetView : IDataView
{
    private readonly IDataView _source;
    private readonly long[] _positions;
    private readonly float[]? _weights;
    private readonly int _weightIndex = -1;

    public PositionSubsetView(IDataView source, long[] sortedPositions, string? weightColumnName = null, float[]? weights = null)
    {
        _source = source;
        _positions = sortedPositions;
        for (int i = 1; i < sortedPositions.Length; i++)
            if (sortedPositions[i] <= sortedPositions[i - 1])
                throw new ArgumentException("Positions must be sorted and distinct.", nameof(sortedPositions));
        if (weightColumnName is null)
        {
            Schema = source.Schema;
        }
        else
        {
            if (weights is null || weights.Length != sortedPositions.Length)
                throw new ArgumentException("One weight per position is needed.", nameof(weights));
            _weights = weights;
            var builder = new DataViewSchema.Builder();
            builder.AddColumns(source.Schema);
            builder.AddColumn(weightColumnName, NumberDataViewType.Single);
            Schema = builder.ToSchema();
            _weightIndex = Schema.Count - 1;
        }
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _positions.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var sourceCols = _source.Schema.Where(c => needed.Contains(c.Index) && c.Index != _weightIndex);
        return new Cursor(this, _source.GetRowCursor(sourceCols), needed.Contains(_weightIndex));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly PositionSubsetView _parent;
        private readonly DataViewRowCursor _input;
        private readonly bool _weightActive;
        private long _index = -1;
        private long _inputPosition = -1;

        public Cursor(PositionSubsetView parent, DataViewRowCursor input, bool weightActive)
        {
            _parent = parent;
            _input = input;
            _weightActive = weightActive;
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _index;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_index + 1 >= _parent._positions.Length) { _index = _parent._positions.Length; return false; }
            long target = _parent._positions[_index + 1];
            while (_inputPosition < target)
            {
                if (!_input.MoveNext())
                    throw new InvalidOperationException(
                        $"The source view ended at row {_inputPosition + 1} but position {target} was selected: the source must enumerate the same rows, in the same order, as when the positions were chosen.");
                _inputPosition++;
            }
            _index++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index == _parent._weightIndex ? _weightActive : _input.IsColumnActive(_input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == _parent._weightIndex)
            {
                ValueGetter<float> g = (ref float v) => v = _parent._weights![_index];
                return (ValueGetter<TValue>)(Delegate)g;
            }
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
