using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.HardMining;

/// <summary>
/// Keeps the <see cref="Capacity"/> first candidates under <typeparamref name="TOrder"/> seen so far, in O(capacity) memory.
/// The plain equivalent is "collect everything, sort, take the first k" (<see cref="ReferenceSelector"/>).
/// </summary>
/// <remarks>
/// <para>A buffer of twice the capacity and a bar: candidates that come before the bar are appended; when the buffer is full a
/// selection (quickselect) keeps the first <see cref="Capacity"/> and the last of them becomes the new bar. Every candidate of
/// the final first k passes the bar it meets, because a bar is the k-th of a subset of the rows seen before it. An entry costs
/// an append and, amortised, a few comparisons, where a binary heap pays a sift of log k mispredicted branches; the bar lags a
/// little behind a heap's root, so a few more rows enter.</para>
/// <para>The buffer orders small nodes (the ranking key and a slot) while the candidates stay in their slots.</para>
/// <para>With an overflow, every candidate this buffer turns away or drops goes on to it: the overflow then sees exactly the
/// rows that cannot be among the final first k.</para>
/// </remarks>
internal sealed class BoundedTopK<TOrder> where TOrder : struct, ICandidateOrder
{
    // The random share's buffer, when this one ranks by loss: a concrete type, so that its entry test inlines.
    private readonly BoundedTopK<ByRandomKey>? _overflow;
    private Node[] _nodes;
    private MiningCandidate[] _slots;
    // Slots of dropped candidates, reused before new ones: a selection moves only nodes, never 72-byte candidates.
    private int[] _freeSlots = [];
    private ulong[] _freeSlotBits = [];
    private int _freeCount;
    private int _slotsUsed;
    private int _count;
    private readonly int _bufferSize;
    // The bar: the key and position of the last kept node after the latest selection.
    private double _barKey;
    private long _barPosition;

    public BoundedTopK(long capacity, BoundedTopK<ByRandomKey>? overflow = null)
    {
        _overflow = overflow;
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (capacity > Array.MaxLength / 2)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A mining budget above 2^30 rows per class cannot be held in memory; use a smaller count or fraction.");
        Capacity = (int)capacity;
        _bufferSize = Capacity == 0 ? 0 : Capacity + Math.Max(Capacity, 16);
        // Budgets up to 65,536 rows get their whole buffer at once: growing it by doubling copies it and touches new pages.
        // The arrays come from ScratchArrays and go back in Release: a fresh megabyte per pass cost page faults.
        var initial = Math.Min(_bufferSize, 1 << 17);
        _nodes = initial == 0 ? [] : ScratchArrays.Rent<Node>(initial);
        _slots = initial == 0 ? [] : ScratchArrays.Rent<MiningCandidate>(initial);
    }

    /// <summary>Gives the buffer's arrays back to the shared pool; the buffer, and any view from <see cref="ToSortedList"/>, is
    /// unusable afterwards.</summary>
    public void Release()
    {
        if (_nodes.Length > 0) ScratchArrays.Return(_nodes);
        if (_slots.Length > 0) ScratchArrays.Return(_slots);
        (_nodes, _slots, _count, _freeCount, _slotsUsed) = ([], [], 0, 0, 0);
    }

    private static void Grow<T>(ref T[] array, int size)
    {
        var grown = ScratchArrays.Rent<T>(size);
        Array.Copy(array, grown, array.Length);
        if (array.Length > 0) ScratchArrays.Return(array);
        array = grown;
    }

    public int Capacity { get; }

    /// <summary>Whether a bar has been set: from then on only candidates that come before it can be kept.</summary>
    public bool HasBar { get; private set; }

    /// <summary>The bar's ranking key (see <see cref="ICandidateOrder.KeyOf"/>); meaningful when <see cref="HasBar"/>.</summary>
    public double BarKey => _barKey;

    /// <summary>Whether <see cref="Add"/> would take <paramref name="item"/> now (it may still be dropped by a later selection).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Admits(in MiningCandidate item) =>
        Capacity > 0 && (!HasBar || CandidateOrder.Before<TOrder>(TOrder.KeyOf(item), item.Position, _barKey, _barPosition));

    // Fully optimised from the first call: a scan calls these ~10^5 times, too few to tier up in time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in MiningCandidate item)
    {
        if (!Admits(item))
        {
            _overflow?.Add(item);
            return;
        }
        if (_count == _nodes.Length) Grow(ref _nodes, (int)Math.Min((long)_nodes.Length * 2, _bufferSize));
        int slot;
        if (_freeCount > 0) slot = _freeSlots[--_freeCount];
        else
        {
            if (_slotsUsed == _slots.Length) Grow(ref _slots, (int)Math.Min((long)_slots.Length * 2, _bufferSize));
            slot = _slotsUsed++;
        }
        _slots[slot] = item;
        _nodes[_count] = new Node(TOrder.KeyOf(item), slot);
        if (++_count == _bufferSize) KeepFirst();
    }

    public void AddRange(BoundedTopK<TOrder> other, int[]? groupIndexMap = null)
    {
        for (var i = 0; i < other._count; i++)
        {
            var item = other._slots[other._nodes[i].Slot];
            if (groupIndexMap is not null && item.GroupIndex >= 0) item.GroupIndex = groupIndexMap[item.GroupIndex];
            Add(item);
        }
    }

    /// <summary>Drops what is beyond the first <see cref="Capacity"/> now (to the overflow), as a full buffer would.</summary>
    public void DropBeyondCapacity()
    {
        if (_count > Capacity) KeepFirst();
    }

    /// <summary>The kept candidates, first to last: a view over this instance's slots, valid until the next <see cref="Add"/>.</summary>
    /// <remarks>The view puts them in order on its first indexed read: a caller that takes them all reads them through
    /// <see cref="IRankedCandidates.InAnyOrder"/> and skips the sort (6,750 nodes: about 0.25 ms).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IRankedCandidates ToSortedList()
    {
        var kept = Math.Min(_count, Capacity);
        if (kept == 0) return RankedCandidates.Empty;
        // In place: the order of the nodes is the buffer's own business, and the kept ones stay first.
        if (_count > kept) Select(_nodes.AsSpan(0, _count), kept - 1, _slots);
        return new SortedView(_nodes, kept, _slots);
    }

    private sealed class SortedView(Node[] nodes, int count, MiningCandidate[] slots) : IRankedCandidates
    {
        private bool _sorted;

        public int Count => count;

        public MiningCandidate this[int index]
        {
            // Fully optimised from the first call: the assembly reads thousands of rows through it once per pass.
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            get
            {
                if ((uint)index >= (uint)count) throw new ArgumentOutOfRangeException(nameof(index));
                if (!_sorted) SortOnce();
                return slots[nodes[index].Slot];
            }
        }

        public IReadOnlyList<MiningCandidate> InAnyOrder => new UnorderedView(nodes, 0, count, slots);

        // A selection at the split puts the head's nodes first: O(count) instead of a sort (100,000 nodes: ~1 ms against ~8).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public (IReadOnlyList<MiningCandidate> Head, IReadOnlyList<MiningCandidate> Tail) SplitInAnyOrder(int headCount)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(headCount);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(headCount, count);
            if (!_sorted && headCount > 0 && headCount < count) Select(nodes.AsSpan(0, count), headCount - 1, slots);
            return (new UnorderedView(nodes, 0, headCount, slots), new UnorderedView(nodes, headCount, count - headCount, slots));
        }

        private void SortOnce()
        {
            Sort(nodes.AsSpan(0, count), slots);
            _sorted = true;
        }

        public IEnumerator<MiningCandidate> GetEnumerator()
        {
            for (var i = 0; i < count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    // The candidates of nodes[start .. start + count), in the nodes' order.
    private sealed class UnorderedView(Node[] nodes, int start, int count, MiningCandidate[] slots) : IReadOnlyList<MiningCandidate>
    {
        public int Count => count;

        public MiningCandidate this[int index]
        {
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            get => (uint)index < (uint)count ? slots[nodes[start + index].Slot] : throw new ArgumentOutOfRangeException(nameof(index));
        }

        public IEnumerator<MiningCandidate> GetEnumerator()
        {
            for (var i = 0; i < count; i++) yield return slots[nodes[start + i].Slot];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    // The buffer is full: keep the first Capacity nodes, free the others' slots, raise the bar.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void KeepFirst()
    {
        Select(_nodes.AsSpan(0, _count), Capacity - 1, _slots);
        if (_freeSlots.Length < _bufferSize - Capacity)
        {
            Array.Resize(ref _freeSlots, _bufferSize - Capacity);
            _freeSlotBits = new ulong[(_bufferSize + 63) >> 6];
        }
        for (var i = 0; i < _freeCount; i++) _freeSlotBits[_freeSlots[i] >> 6] |= 1UL << _freeSlots[i];
        for (var i = Capacity; i < _count; i++)
        {
            var slot = _nodes[i].Slot;
            if (_overflow is not null && _overflow.Admits(_slots[slot])) _overflow.Add(_slots[slot]);
            _freeSlotBits[slot >> 6] |= 1UL << slot;
        }
        // Dropped candidates sit in random slots. Handed out in address order, the next entries write the slot array front
        // to back, which the prefetcher follows, instead of one cache miss per entry.
        _freeCount = 0;
        for (var word = _freeSlotBits.Length - 1; word >= 0; word--)
        {
            var bits = _freeSlotBits[word];
            _freeSlotBits[word] = 0;
            while (bits != 0)
            {
                var bit = 63 - System.Numerics.BitOperations.LeadingZeroCount(bits);
                _freeSlots[_freeCount++] = (word << 6) | bit;
                bits &= ~(1UL << bit);
            }
        }
        _count = Capacity;
        _barKey = _nodes[Capacity - 1].Key;
        _barPosition = _slots[_nodes[Capacity - 1].Slot].Position;
        HasBar = true;
    }

    /// <summary>Reorders <paramref name="nodes"/> so that index <paramref name="rank"/> holds the node of that rank, every node
    /// before it comes before it, and every node after it comes after it (quickselect on a branch-free partition).</summary>
    /// <param name="nodes">The nodes.</param>
    /// <param name="rank">The rank to put in place.</param>
    /// <param name="slots">The candidates the nodes point to: their positions break ties.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Select(Span<Node> nodes, int rank, MiningCandidate[] slots)
    {
        var order = new NodeOrder(slots);
        int lo = 0, hi = nodes.Length - 1;
        while (hi - lo > 16)
        {
            var pivot = hi - lo >= SampledPivotFrom ? SampledPivot(nodes, lo, hi, rank, order) : MedianOfThree(nodes, lo, hi, order);
            var at = Partition(nodes, lo, hi, pivot, order);
            if (rank < at) hi = at - 1;
            else if (rank > at) lo = at + 1;
            else return;
        }
        InsertionSort(nodes.Slice(lo, hi - lo + 1), order);
    }

    /// <summary>Sorts <paramref name="nodes"/> first to last: quicksort on <see cref="Select"/>'s partition, with the order's
    /// comparisons inlined (MemoryExtensions.Sort calls a comparer through a delegate, four times slower here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Sort(Span<Node> nodes, MiningCandidate[] slots)
    {
        var order = new NodeOrder(slots);
        int lo = 0, hi = nodes.Length - 1;
        while (hi - lo > 16)
        {
            var at = Partition(nodes, lo, hi, MedianOfThree(nodes, lo, hi, order), order);
            // The smaller side by recursion, the larger by the loop: the stack stays O(log n) deep.
            if (at - lo < hi - at)
            {
                Sort(nodes.Slice(lo, at - lo), slots);
                lo = at + 1;
            }
            else
            {
                Sort(nodes.Slice(at + 1, hi - at), slots);
                hi = at - 1;
            }
        }
        InsertionSort(nodes.Slice(lo, hi - lo + 1), order);
    }

    // From this many nodes, Select takes its pivot from a sample: a buffer's selection then partitions about 1.5 times its
    // nodes instead of about 3.4 times (median of three).
    private const int SampledPivotFrom = 1024;
    private const int PivotSampleSize = 32;

    // The pivot for rank in nodes[lo..hi]: of 32 evenly spaced nodes, the one a few sample ranks beyond rank's share, towards
    // the larger side, so that rank most likely falls in the smaller part and the next round is short.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SampledPivot(Span<Node> nodes, int lo, int hi, int rank, in NodeOrder order)
    {
        Span<int> sample = stackalloc int[PivotSampleSize];
        var length = (long)(hi - lo + 1);
        for (var t = 0; t < sample.Length; t++) sample[t] = lo + (int)(t * length / sample.Length);
        for (var i = 1; i < sample.Length; i++)
        {
            var index = sample[i];
            var j = i - 1;
            while (j >= 0 && order.Before(nodes[index], nodes[sample[j]]))
            {
                sample[j + 1] = sample[j];
                j--;
            }
            sample[j + 1] = index;
        }
        var share = (double)(rank - lo) / length;
        var sampleRank = (int)(share * sample.Length) + (share < 0.5 ? 3 : -3);
        return sample[Math.Clamp(sampleRank, 0, sample.Length - 1)];
    }

    // Orders nodes[lo], nodes[mid], nodes[hi] and returns mid, the median of the three.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MedianOfThree(Span<Node> nodes, int lo, int hi, in NodeOrder order)
    {
        var mid = lo + ((hi - lo) >> 1);
        if (order.Before(nodes[mid], nodes[lo])) (nodes[mid], nodes[lo]) = (nodes[lo], nodes[mid]);
        if (order.Before(nodes[hi], nodes[lo])) (nodes[hi], nodes[lo]) = (nodes[lo], nodes[hi]);
        if (order.Before(nodes[hi], nodes[mid])) (nodes[hi], nodes[mid]) = (nodes[mid], nodes[hi]);
        return mid;
    }

    // Partitions nodes[lo..hi] around the node at pivotIndex and returns where the pivot ends: the nodes before it come
    // before it, those after it after it. A cyclic Lomuto partition (after Bergdoll): a comparison's outcome only moves an
    // index, where Hoare's inner loops mispredict a branch about every other node on random keys; nodes move as whole 16-byte
    // copies, so a node written in one step forwards to the read in the next. With the sampled pivot, selecting 6,750 of
    // 13,500 random nodes went from 170 to 48 µs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Partition(Span<Node> nodes, int lo, int hi, int pivotIndex, in NodeOrder order)
    {
        (nodes[pivotIndex], nodes[hi]) = (nodes[hi], nodes[pivotIndex]);
        var pivot = nodes[hi];
        ref var first = ref MemoryMarshal.GetReference(nodes);
        // The node at lo is lifted out; the hole it leaves travels right, one step behind the scan.
        var lifted = Unsafe.Add(ref first, lo);
        int hole = lo, before = lo;
        for (var next = lo + 1; next < hi; next++)
        {
            var nextIsBefore = order.BeforeBranchFree(Unsafe.Add(ref first, next), pivot);
            Unsafe.Add(ref first, hole) = Unsafe.Add(ref first, before);
            Unsafe.Add(ref first, before) = Unsafe.Add(ref first, next);
            hole = next;
            before += nextIsBefore ? 1 : 0;
        }
        Unsafe.Add(ref first, hole) = Unsafe.Add(ref first, before);
        Unsafe.Add(ref first, before) = lifted;
        before += order.BeforeBranchFree(lifted, pivot) ? 1 : 0;
        (nodes[before], nodes[hi]) = (nodes[hi], nodes[before]);
        return before;
    }

    private static void InsertionSort(Span<Node> nodes, in NodeOrder order)
    {
        for (var i = 1; i < nodes.Length; i++)
        {
            var node = nodes[i];
            var j = i - 1;
            while (j >= 0 && order.Before(node, nodes[j]))
            {
                nodes[j + 1] = nodes[j];
                j--;
            }
            nodes[j + 1] = node;
        }
    }

    // The order of CandidateOrder.Before on nodes, which hold no position: positions are read from the slots only on a tie of
    // keys, which keeps the nodes at 16 bytes (a buffer's nodes then stay in the core's cache through a selection).
    private readonly struct NodeOrder(MiningCandidate[] slots)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Before(in Node a, in Node b) =>
            TOrder.KeyBefore(a.Key, b.Key) || (a.Key == b.Key && slots[a.Slot].Position < slots[b.Slot].Position);

        // The same order; the key comparison does not branch (a tie, which does, is rare).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool BeforeBranchFree(in Node a, in Node b) =>
            TOrder.KeyBefore(a.Key, b.Key) | (a.Key == b.Key && slots[a.Slot].Position < slots[b.Slot].Position);
    }

    internal readonly struct Node(double key, int slot)
    {
        public readonly double Key = key;
        public readonly int Slot = slot;
    }
}
