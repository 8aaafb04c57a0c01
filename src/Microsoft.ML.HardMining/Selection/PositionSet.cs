using System.Numerics;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.HardMining;

/// <summary>
/// A set of row positions (never negative) in a table from the shared pool. The plain equivalent is <c>HashSet&lt;long&gt;</c>,
/// which the tests hold it to.
/// </summary>
/// <remarks>
/// The assembly of a selection keeps one set of hard rows per class. For 6,750 rows a HashSet allocated 140 KB per class and
/// per pass, on the large-object heap; those fresh pages cost more than the lookups. This open-addressing table is rented,
/// probed linearly from a <see cref="RowHash.Mix"/> of the position, and given back by <see cref="Dispose"/>.
/// </remarks>
internal sealed class PositionSet : IDisposable
{
    private const long Empty = -1;
    private long[] _table;
    private int _mask;

    public PositionSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _table = Rent(TableSizeFor(capacity), out _mask);
    }

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="position"/>; false when it was already in the set.</summary>
    // Fully optimised from the first call, like the HashSet it replaces (precompiled in the framework): a pass calls it
    // thousands of times, too few to tier up in time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        // At most half full: a probe then ends after about 1.5 slots on average.
        if (2 * (Count + 1) > _mask + 1) Grow();
        var at = SlotOf(position);
        if (_table[at] == position) return false;
        _table[at] = position;
        Count++;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Contains(long position) => position >= 0 && _table[SlotOf(position)] == position;

    public void Dispose()
    {
        if (_table.Length > 0) ScratchArrays.Return(_table);
        _table = [];
        _mask = -1;
        Count = 0;
    }

    // The slot that holds the position, or the empty slot where it would go.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(long position)
    {
        var at = (int)RowHash.Mix((ulong)position) & _mask;
        while (_table[at] != Empty && _table[at] != position) at = (at + 1) & _mask;
        return at;
    }

    private void Grow()
    {
        var old = _table;
        var oldSize = _mask + 1;
        // Past 2^30 slots the doubling overflows: a set that large (half a billion rows of one class) fails loudly.
        _table = Rent(checked(2 * oldSize), out _mask);
        for (var i = 0; i < oldSize; i++)
            if (old[i] != Empty) _table[SlotOf(old[i])] = old[i];
        ScratchArrays.Return(old);
    }

    private static int TableSizeFor(int capacity) => (int)BitOperations.RoundUpToPowerOf2((ulong)Math.Clamp(2L * capacity, 16, 1 << 30));

    private static long[] Rent(int size, out int mask)
    {
        var table = ScratchArrays.Rent<long>(size);
        table.AsSpan(0, size).Fill(Empty);
        mask = size - 1;
        return table;
    }
}
