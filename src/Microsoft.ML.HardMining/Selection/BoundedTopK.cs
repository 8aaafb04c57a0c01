using System.Runtime.CompilerServices;

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
/// <para>The buffer orders small nodes (the ranking key, the position and a slot) while the candidates stay in their slots.</para>
/// </remarks>
internal sealed class BoundedTopK<TOrder> where TOrder : struct, ICandidateOrder
{
    private Node[] _nodes;
    private MiningCandidate[] _slots;
    private bool[] _slotTaken = [];
    private int _count;
    private readonly int _bufferSize;
    private Node _bar;

    public BoundedTopK(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (capacity > Array.MaxLength / 2)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A mining budget above 2^30 rows per class cannot be held in memory; use a smaller count or fraction.");
        Capacity = (int)capacity;
        _bufferSize = Capacity == 0 ? 0 : Capacity + Math.Max(Capacity, 16);
        // Budgets up to 65,536 rows get their whole buffer at once: growing it by doubling copies it and touches new pages.
        var initial = Math.Min(_bufferSize, 1 << 17);
        _nodes = new Node[initial];
        _slots = new MiningCandidate[initial];
    }

    public int Capacity { get; }

    /// <summary>Whether a bar has been set: from then on only candidates that come before it can be kept.</summary>
    public bool HasBar { get; private set; }

    /// <summary>The bar's ranking key (see <see cref="ICandidateOrder.KeyOf"/>); meaningful when <see cref="HasBar"/>.</summary>
    public double BarKey => _bar.Key;

    /// <summary>Whether <see cref="Add"/> would take <paramref name="item"/> now (it may still be dropped by a later selection).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Admits(in MiningCandidate item) =>
        Capacity > 0 && (!HasBar || Before(TOrder.KeyOf(item), item.Position, _bar));

    // Fully optimised from the first call: a scan calls these ~10^5 times, too few to tier up in time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in MiningCandidate item)
    {
        if (!Admits(item)) return;
        if (_count == _nodes.Length)
        {
            var size = (int)Math.Min((long)_nodes.Length * 2, _bufferSize);
            Array.Resize(ref _nodes, size);
            Array.Resize(ref _slots, size);
        }
        _slots[_count] = item;
        _nodes[_count] = new Node(TOrder.KeyOf(item), item.Position, _count);
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

    /// <summary>The kept candidates, first to last: a view over this instance's slots, valid until the next <see cref="Add"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<MiningCandidate> ToSortedList()
    {
        var kept = Math.Min(_count, Capacity);
        if (kept == 0) return [];
        var nodes = _nodes.AsSpan(0, _count).ToArray();
        if (nodes.Length > kept) Select(nodes, kept - 1);
        HeapSort(nodes.AsSpan(0, kept));
        return new SortedView(nodes, kept, _slots);
    }

    private sealed class SortedView(Node[] nodes, int count, MiningCandidate[] slots) : IReadOnlyList<MiningCandidate>
    {
        public int Count => count;

        public MiningCandidate this[int index] =>
            (uint)index < (uint)count ? slots[nodes[index].Slot] : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<MiningCandidate> GetEnumerator()
        {
            for (var i = 0; i < count; i++) yield return slots[nodes[i].Slot];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    // The buffer is full: keep the first Capacity nodes, move their candidates into slots 0..Capacity-1, raise the bar.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void KeepFirst()
    {
        Select(_nodes.AsSpan(0, _count), Capacity - 1);
        if (_slotTaken.Length < Capacity) _slotTaken = new bool[Capacity];
        for (var i = 0; i < Capacity; i++)
            if (_nodes[i].Slot < Capacity) _slotTaken[_nodes[i].Slot] = true;
        var free = 0;
        for (var i = 0; i < Capacity; i++)
        {
            var node = _nodes[i];
            if (node.Slot < Capacity) continue;
            while (_slotTaken[free]) free++;
            _slots[free] = _slots[node.Slot];
            _nodes[i] = new Node(node.Key, node.Position, free);
            _slotTaken[free] = true;
        }
        Array.Clear(_slotTaken);
        _count = Capacity;
        _bar = _nodes[Capacity - 1];
        HasBar = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(double key, long position, in Node other) =>
        CandidateOrder.Before<TOrder>(key, position, other.Key, other.Position);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Node a, in Node b) => Before(a.Key, a.Position, b);

    /// <summary>Reorders <paramref name="nodes"/> so that index <paramref name="rank"/> holds the node of that rank, every node
    /// before it comes before it, and every node after it comes after it (Hoare's selection, median-of-three pivots).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Select(Span<Node> nodes, int rank)
    {
        int lo = 0, hi = nodes.Length - 1;
        while (hi - lo > 16)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (Before(nodes[mid], nodes[lo])) (nodes[mid], nodes[lo]) = (nodes[lo], nodes[mid]);
            if (Before(nodes[hi], nodes[lo])) (nodes[hi], nodes[lo]) = (nodes[lo], nodes[hi]);
            if (Before(nodes[hi], nodes[mid])) (nodes[hi], nodes[mid]) = (nodes[mid], nodes[hi]);
            var pivot = nodes[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (Before(nodes[i], pivot)) i++;
                while (Before(pivot, nodes[j])) j--;
                if (i <= j)
                {
                    (nodes[i], nodes[j]) = (nodes[j], nodes[i]);
                    i++;
                    j--;
                }
            }
            if (rank <= j) hi = j;
            else if (rank >= i) lo = i;
            else return;
        }
        InsertionSort(nodes.Slice(lo, hi - lo + 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InsertionSort(Span<Node> nodes)
    {
        for (var i = 1; i < nodes.Length; i++)
        {
            var node = nodes[i];
            var j = i - 1;
            while (j >= 0 && Before(node, nodes[j]))
            {
                nodes[j + 1] = nodes[j];
                j--;
            }
            nodes[j + 1] = node;
        }
    }

    // Sorts first to last: a heap whose root comes after every other node, emptied from the back.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HeapSort(Span<Node> nodes)
    {
        for (var i = nodes.Length / 2 - 1; i >= 0; i--) SiftDown(nodes, nodes.Length, i);
        for (var end = nodes.Length - 1; end > 0; end--)
        {
            (nodes[0], nodes[end]) = (nodes[end], nodes[0]);
            SiftDown(nodes, end, 0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiftDown(Span<Node> heap, int count, int i)
    {
        var node = heap[i];
        var half = count >> 1;
        while (i < half)
        {
            var child = 2 * i + 1;
            var right = child + 1;
            if (right < count && Before(heap[child], heap[right])) child = right;
            if (!Before(node, heap[child])) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = node;
    }

    internal readonly struct Node(double key, long position, int slot)
    {
        public readonly double Key = key;
        public readonly long Position = position;
        public readonly int Slot = slot;
    }
}
