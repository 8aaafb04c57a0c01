using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// An exact streaming top-k by hardness (then the earlier position) with the leanest entries: a buffer of twice the
/// capacity holding the 32-byte entries themselves, a quickselect when it is full, and the k-th's hardness as the bar.
/// </summary>
internal sealed class LeanTopK(int capacity)
{
    private readonly FloorEntry[] _items = new FloorEntry[2 * capacity + 16];
    private int _count;

    public int Capacity => capacity;
    public float Bar { get; private set; } = float.NegativeInfinity;
    public int Entries { get; private set; }

    public void Clear() => (_count, Entries, Bar) = (0, 0, float.NegativeInfinity);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Add(long position, float hardness, ValueGetter<DataViewRowId> idOf)
    {
        Entries++;
        ref var entry = ref _items[_count++];
        entry.Position = position;
        entry.Hardness = hardness;
        idOf(ref entry.RowId);
        if (_count == _items.Length) KeepFirst();
    }

    public IEnumerable<long> KeptPositions() => _items.Take(Math.Min(_count, capacity)).Select(item => item.Position);

    public int KeepFirst()
    {
        if (_count > capacity)
        {
            Select(_items.AsSpan(0, _count), capacity - 1);
            _count = capacity;
            // Ties at the bar lose: every later row has a later position than the kept one.
            Bar = _items[capacity - 1].Hardness;
        }
        return _count;
    }

    private static bool Before(in FloorEntry a, in FloorEntry b) => a.Hardness > b.Hardness || (a.Hardness == b.Hardness && a.Position < b.Position);

    // Quickselect (Hoare partition, median of three): items[rank] is the entry of that rank, those before it come first.
    private static void Select(Span<FloorEntry> items, int rank)
    {
        int lo = 0, hi = items.Length - 1;
        while (hi > lo)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (Before(items[mid], items[lo])) (items[mid], items[lo]) = (items[lo], items[mid]);
            if (Before(items[hi], items[lo])) (items[hi], items[lo]) = (items[lo], items[hi]);
            if (Before(items[hi], items[mid])) (items[hi], items[mid]) = (items[mid], items[hi]);
            var pivot = items[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (Before(items[i], pivot)) i++;
                while (Before(pivot, items[j])) j--;
                if (i <= j) (items[i], items[j], i, j) = (items[j], items[i], i + 1, j - 1);
            }
            if (rank <= j) hi = j;
            else if (rank >= i) lo = i;
            else return;
        }
    }
}

/// <summary>A row the floor pass keeps: as little as an exact miner must know of it.</summary>
internal struct FloorEntry
{
    public long Position;
    public float Hardness;
    public int ClassIndex;
    public DataViewRowId RowId;
}
