using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// A view of any length whose rows are computed from their position (<see cref="GeneratedRowCursor"/>): a Boolean label
/// and one more column, no storage, one cursor even when a set is asked for.
/// </summary>
public abstract class GeneratedDataView : IDataView
{
    protected GeneratedDataView(long rows, string columnName, DataViewType columnType)
    {
        Rows = rows;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Label", BooleanDataViewType.Instance);
        builder.AddColumn(columnName, columnType);
        Schema = builder.ToSchema();
    }

    protected long Rows { get; }

    public bool CanShuffle => false;
    public DataViewSchema Schema { get; }
    public long? GetRowCount() => Rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => CreateCursor();

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [CreateCursor()];

    private protected abstract DataViewRowCursor CreateCursor();
}
