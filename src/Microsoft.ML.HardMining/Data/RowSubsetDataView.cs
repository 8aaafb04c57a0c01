using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Data;

/// <summary>
/// A lazy view of some rows of a source view, chosen by position, with every source column passed through untouched and,
/// optionally, a weight column added. Nothing is copied: each cursor walks a source cursor and stops on the chosen rows.
/// </summary>
/// <remarks>
/// Positions refer to the order in which the source enumerates its rows, so the view declares <see cref="CanShuffle"/> false
/// and checks, when row ids are given, that the source still yields the same rows at those positions: a source that enumerates
/// differently (shuffled, or rebuilt from a changed file) gets a clear error instead of silently training on other rows.
/// </remarks>
public sealed class RowSubsetDataView : IDataView
{
    private readonly IDataView _source;
    private readonly long[] _positions;
    private readonly DataViewRowId[]? _expectedIds;
    private readonly float[]? _weights;

    /// <summary>Creates the view.</summary>
    /// <param name="source">The source view. It is only read.</param>
    /// <param name="sortedPositions">Zero-based positions of the rows to expose, strictly ascending.</param>
    /// <param name="expectedRowIds">The source's row id at each position, checked while reading; null to skip the check.</param>
    /// <param name="weights">A weight per exposed row, added as <paramref name="weightColumnName"/>; null for no weight column.</param>
    /// <param name="weightColumnName">The name of the added weight column (it hides a source column of that name).</param>
    public RowSubsetDataView(IDataView source, IReadOnlyList<long> sortedPositions, IReadOnlyList<DataViewRowId>? expectedRowIds = null,
        IReadOnlyList<float>? weights = null, string weightColumnName = "Weight")
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sortedPositions);
        _source = source;
        _positions = [.. sortedPositions];
        for (var i = 0; i < _positions.Length; i++)
        {
            if (_positions[i] < 0 || (i > 0 && _positions[i] <= _positions[i - 1]))
                throw new ArgumentException($"Row positions must be non-negative and strictly ascending; position {_positions[i]} at index {i} is not.", nameof(sortedPositions));
        }
        if (expectedRowIds is not null && expectedRowIds.Count != _positions.Length)
            throw new ArgumentException($"{nameof(expectedRowIds)} has {expectedRowIds.Count} ids for {_positions.Length} positions.", nameof(expectedRowIds));
        if (weights is not null && weights.Count != _positions.Length)
            throw new ArgumentException($"{nameof(weights)} has {weights.Count} weights for {_positions.Length} positions.", nameof(weights));
        _expectedIds = expectedRowIds?.ToArray();
        _weights = weights?.ToArray();

        var builder = new DataViewSchema.Builder();
        builder.AddColumns(source.Schema);
        if (_weights is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(weightColumnName);
            builder.AddColumn(weightColumnName, NumberDataViewType.Single);
        }
        Schema = builder.ToSchema();
    }

    /// <summary>The source view.</summary>
    public IDataView Source => _source;

    /// <summary>The exposed positions.</summary>
    public IReadOnlyList<long> Positions => _positions;

    /// <summary>False: rows come in source order, the order the positions refer to.</summary>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <summary>The number of exposed rows.</summary>
    public long? GetRowCount() => _positions.Length;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var sourceCount = _source.Schema.Count;
        var sourceColumns = needed.Where(c => c.Index < sourceCount).Select(c => _source.Schema[c.Index]);
        var weightActive = needed.Any(c => c.Index >= sourceCount);
        return new RowSubsetCursor(this, _source.GetRowCursor(sourceColumns), weightActive);
    }

    /// <summary>One cursor: a subset cannot be split without reading the source in order.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class RowSubsetCursor(RowSubsetDataView parent, DataViewRowCursor source, bool weightActive) : DataViewRowCursor
    {
        private readonly ValueGetter<DataViewRowId> _sourceId = source.GetIdGetter();
        private long _position = -1;
        private bool _disposed;

        public override DataViewSchema Schema => parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_disposed || _position + 1 >= parent._positions.Length)
                return false;
            var target = parent._positions[_position + 1];
            while (source.Position < target)
            {
                var read = source.Position + 1;
                if (!source.MoveNext())
                    throw new InvalidOperationException(
                        $"The source view ended after {read} rows, but row {target} was selected: it no longer enumerates the rows it had when mined. " +
                        "Mine and train on the same view, or cache it first (mlContext.Data.Cache / AppendCacheCheckpoint).");
            }
            _position++;
            if (parent._expectedIds is not null)
            {
                DataViewRowId id = default;
                _sourceId(ref id);
                if (!id.Equals(parent._expectedIds[_position]))
                    throw new InvalidOperationException(
                        $"Row {target} of the source view is not the row that was mined there (row id {id} instead of {parent._expectedIds[_position]}): the source enumerates its rows in another order, or the mined rows came from a Scorer that dropped rows. " +
                        "Mine and train on the same view, or cache it first (mlContext.Data.Cache / AppendCacheCheckpoint); a scorer must map rows one to one.");
            }
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _sourceId;

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < source.Schema.Count ? source.IsColumnActive(source.Schema[column.Index]) : weightActive;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < source.Schema.Count)
                return source.GetGetter<TValue>(source.Schema[column.Index]);
            if (!weightActive)
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            if (typeof(TValue) != typeof(float))
                throw new InvalidOperationException($"Column '{column.Name}' holds Single values, not {typeof(TValue).Name}.");
            ValueGetter<float> getter = (ref float value) => value = parent._weights![_position];
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (_disposed) return;
            if (disposing) source.Dispose();
            _disposed = true;
            base.Dispose(disposing);
        }
    }
}
