using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Cli.Csv;

/// <summary>An <see cref="IDataView"/> over typed in-memory columns of equal length (the rows of a checked CSV file).</summary>
public sealed class TableDataView : IDataView
{
    private readonly TypedColumn[] _columns;
    private readonly long _rows;

    /// <summary>Creates the view.</summary>
    /// <param name="columns">Columns with unique names and the same number of values.</param>
    public TableDataView(IReadOnlyList<TypedColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0) throw new ArgumentException("A table needs at least one column.", nameof(columns));
        _columns = columns.ToArray();
        _rows = _columns[0].Values.Length;
        if (_columns.Any(c => c.Values.Length != _rows))
            throw new ArgumentException("Every column must hold the same number of values.", nameof(columns));
        var builder = new DataViewSchema.Builder();
        foreach (var c in _columns) builder.AddColumn(c.Name, c.Type);
        Schema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _rows;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(TableDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext()
        {
            if (_position + 1 >= view._rows) { _position = view._rows; return false; }
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var values = view._columns[column.Index].Values;
            if (values is float[][] vectors)
            {
                ValueGetter<VBuffer<float>> vectorGetter = (ref VBuffer<float> dst) =>
                {
                    var src = vectors[_position];
                    var editor = VBufferEditor.Create(ref dst, src.Length);
                    src.CopyTo(editor.Values);
                    dst = editor.Commit();
                };
                return vectorGetter as ValueGetter<TValue>
                    ?? throw new InvalidOperationException($"Column '{column.Name}' is a float vector, not {typeof(TValue).Name}.");
            }
            if (values is not TValue[] typed)
                throw new InvalidOperationException($"Column '{column.Name}' holds {values.GetType().GetElementType()!.Name}, not {typeof(TValue).Name}.");
            return (ref TValue value) => value = typed[_position];
        }
    }
}
