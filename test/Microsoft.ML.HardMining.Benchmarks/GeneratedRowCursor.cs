using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// The cursor of a generated view: rows 0 to <c>rows</c> − 1, each computed from its position by the view's getters, with the
/// position as row id. Holds nothing else, so a pass over any number of rows measures the consumer, not storage.
/// </summary>
internal abstract class GeneratedRowCursor(DataViewSchema schema, long rows) : DataViewRowCursor
{
    // A field the getters read directly: their lambdas compile to a load, which the JIT inlines into the consumer's loop.
    protected long RowPosition = -1;

    public override DataViewSchema Schema => schema;
    public override long Position => RowPosition;
    public override long Batch => 0;
    public override bool MoveNext() => ++RowPosition < rows;
    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)RowPosition, 0);
    public override bool IsColumnActive(DataViewSchema.Column column) => true;
}
