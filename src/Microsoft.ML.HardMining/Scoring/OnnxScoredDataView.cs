using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Lazy view returned by <see cref="OnnxBatchScorer.Transform"/>: the source's columns plus the score columns.</summary>
internal sealed class OnnxScoredDataView : IDataView
{
    public OnnxScoredDataView(OnnxBatchScorer scorer, IDataView source, OnnxInputBinding[] bindings, DataViewSchema schema)
    {
        Scorer = scorer;
        Source = source;
        Bindings = bindings;
        Schema = schema;
        SourceColumnCount = source.Schema.Count;
    }

    public OnnxBatchScorer Scorer { get; }

    public IDataView Source { get; }

    public OnnxInputBinding[] Bindings { get; }

    public DataViewSchema Schema { get; }

    /// <summary>Source columns keep their indices; the score columns follow them.</summary>
    public int SourceColumnCount { get; }

    public bool CanShuffle => Source.CanShuffle;

    public long? GetRowCount() => Source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = ActiveColumns(columnsNeeded, out bool scoring);
        var cursor = Source.GetRowCursor(SourceColumns(active, scoring), rand);
        return Wrap(cursor, active, scoring);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var active = ActiveColumns(columnsNeeded, out bool scoring);
        var cursors = Source.GetRowCursorSet(SourceColumns(active, scoring), n, rand);
        return cursors.Select(c => Wrap(c, active, scoring)).ToArray();
    }

    private DataViewRowCursor Wrap(DataViewRowCursor source, bool[] active, bool scoring)
        => scoring ? new OnnxBatchCursor(this, source, active) : new PassThroughCursor(this, source, active);

    private bool[] ActiveColumns(IEnumerable<DataViewSchema.Column> columnsNeeded, out bool scoring)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{column.Name}' is not in the schema of the ONNX-scored view.");
            active[column.Index] = true;
        }
        scoring = active.Skip(SourceColumnCount).Any(a => a);
        return active;
    }

    private IEnumerable<DataViewSchema.Column> SourceColumns(bool[] active, bool scoring)
    {
        var needed = new bool[SourceColumnCount];
        for (int i = 0; i < SourceColumnCount; i++)
            needed[i] = active[i];
        if (scoring)
        {
            foreach (var binding in Bindings)
                needed[binding.ColumnIndex] = true;
        }
        return Source.Schema.Where(c => needed[c.Index]).ToArray();
    }

    /// <summary>Cursor used when no score column is read: the source's rows as they are, no model run.</summary>
    private sealed class PassThroughCursor : DataViewRowCursor
    {
        private readonly OnnxScoredDataView _view;
        private readonly DataViewRowCursor _source;
        private readonly bool[] _active;

        public PassThroughCursor(OnnxScoredDataView view, DataViewRowCursor source, bool[] active)
        {
            _view = view;
            _source = source;
            _active = active;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _source.Position;

        public override long Batch => _source.Batch;

        public override bool MoveNext() => _source.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            return _source.GetGetter<TValue>(_view.Source.Schema[column.Index]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _source.Dispose();
            base.Dispose(disposing);
        }
    }
}
