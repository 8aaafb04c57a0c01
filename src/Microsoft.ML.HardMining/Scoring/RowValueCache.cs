using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Index of the row of the current batch that getters read; shared by a cursor and its caches.</summary>
internal sealed class BatchSlot
{
    public int Current = -1;
}

/// <summary>
/// Values of one pass-through column for the rows of a batch: the batched cursor reads a whole batch ahead of the row
/// it exposes, so it copies each active source column's values (deep copies for vectors and text) as it reads them.
/// </summary>
internal abstract class RowValueCache
{
    public abstract void Capture(int slot);

    public abstract Delegate Getter { get; }

    public static RowValueCache Create(DataViewRow source, DataViewSchema.Column column, int capacity, BatchSlot slot)
    {
        var raw = column.Type.RawType;
        Type cacheType;
        if (raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>))
            cacheType = typeof(VBufferCache<>).MakeGenericType(raw.GetGenericArguments()[0]);
        else if (raw == typeof(ReadOnlyMemory<char>))
            cacheType = typeof(TextCache);
        else
            cacheType = typeof(ValueCache<>).MakeGenericType(raw);
        return (RowValueCache)Activator.CreateInstance(cacheType, source, column, capacity, slot)!;
    }

    private sealed class ValueCache<T> : RowValueCache
    {
        private readonly ValueGetter<T> _get;
        private readonly T[] _values;
        private readonly BatchSlot _slot;

        public ValueCache(DataViewRow source, DataViewSchema.Column column, int capacity, BatchSlot slot)
        {
            _get = source.GetGetter<T>(column);
            _values = new T[capacity];
            _slot = slot;
            Getter = (ValueGetter<T>)((ref T value) => value = _values[_slot.Current]);
        }

        public override Delegate Getter { get; }

        public override void Capture(int slot) => _get(ref _values[slot]);
    }

    private sealed class TextCache : RowValueCache
    {
        private readonly ValueGetter<ReadOnlyMemory<char>> _get;
        private readonly ReadOnlyMemory<char>[] _values;
        private readonly BatchSlot _slot;
        private ReadOnlyMemory<char> _scratch;

        public TextCache(DataViewRow source, DataViewSchema.Column column, int capacity, BatchSlot slot)
        {
            _get = source.GetGetter<ReadOnlyMemory<char>>(column);
            _values = new ReadOnlyMemory<char>[capacity];
            _slot = slot;
            Getter = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = _values[_slot.Current]);
        }

        public override Delegate Getter { get; }

        public override void Capture(int slot)
        {
            _get(ref _scratch);
            // The source may reuse the memory behind the text for the next row: keep a copy.
            _values[slot] = _scratch.IsEmpty ? ReadOnlyMemory<char>.Empty : _scratch.ToString().AsMemory();
        }
    }

    private sealed class VBufferCache<T> : RowValueCache
    {
        private readonly ValueGetter<VBuffer<T>> _get;
        private readonly VBuffer<T>[] _values;
        private readonly BatchSlot _slot;
        private VBuffer<T> _scratch;

        public VBufferCache(DataViewRow source, DataViewSchema.Column column, int capacity, BatchSlot slot)
        {
            _get = source.GetGetter<VBuffer<T>>(column);
            _values = new VBuffer<T>[capacity];
            _slot = slot;
            Getter = (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => _values[_slot.Current].CopyTo(ref value));
        }

        public override Delegate Getter { get; }

        public override void Capture(int slot)
        {
            _get(ref _scratch);
            _scratch.CopyTo(ref _values[slot]);
        }
    }
}
