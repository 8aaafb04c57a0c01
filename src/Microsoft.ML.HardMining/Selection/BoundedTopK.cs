using System.Runtime.CompilerServices;

namespace Microsoft.ML.HardMining;

/// <summary>
/// Keeps the <see cref="Capacity"/> first candidates under <typeparamref name="TOrder"/> seen so far, in O(capacity) memory.
/// A binary heap whose root is the last of the kept, so a new candidate is rejected in O(1) or replaces the root in O(log k).
/// The plain equivalent is "collect everything, sort, take the first k" (<see cref="ReferenceSelector"/>).
/// </summary>
/// <remarks>
/// The heap orders small nodes (the ranking key, the position and a slot) while the candidates themselves stay in their slots:
/// a sift moves 24 bytes per level instead of a whole candidate.
/// </remarks>
internal sealed class BoundedTopK<TOrder> where TOrder : struct, ICandidateOrder
{
    private Node[] _heap;
    private MiningCandidate[] _slots;
    private int _count;

    public BoundedTopK(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (capacity > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A mining budget above 2^31 rows per class cannot be held in memory; use a smaller count or fraction.");
        Capacity = (int)capacity;
        // Budgets up to 65,536 rows get their whole heap at once: growing it by doubling copies it and touches new pages.
        var initial = Math.Min(Capacity, 1 << 16);
        _heap = new Node[initial];
        _slots = new MiningCandidate[initial];
    }

    public int Capacity { get; }

    public int Count => _count;

    /// <summary>Whether every slot is taken, so a new candidate must come before <see cref="Last"/> to be kept.</summary>
    public bool IsFull => _count >= Capacity;

    /// <summary>The kept candidate that every other kept one comes before (the heap's root); only when <see cref="Count"/> &gt; 0.</summary>
    public ref readonly MiningCandidate Last => ref _slots[_heap[0].Slot];

    /// <summary>Whether <see cref="Add"/> would keep <paramref name="item"/> now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Admits(in MiningCandidate item) =>
        _count < Capacity || (Capacity > 0 && Before(TOrder.KeyOf(item), item.Position, _heap[0]));

    // Fully optimised from the first call: a scan calls these ~10^5 times, too few to tier up in time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in MiningCandidate item)
    {
        var key = TOrder.KeyOf(item);
        if (_count < Capacity)
        {
            if (_count == _heap.Length)
            {
                var size = (int)Math.Min((long)_heap.Length * 2, Capacity);
                Array.Resize(ref _heap, size);
                Array.Resize(ref _slots, size);
            }
            _slots[_count] = item;
            _heap[_count] = new Node(key, item.Position, _count);
            SiftUp(_count++);
        }
        else if (Capacity > 0 && Before(key, item.Position, _heap[0]))
        {
            // The new candidate takes the evicted one's slot.
            var slot = _heap[0].Slot;
            _slots[slot] = item;
            _heap[0] = new Node(key, item.Position, slot);
            SiftDown(_heap, _count, 0);
        }
    }

    public void AddRange(BoundedTopK<TOrder> other, int[]? groupIndexMap = null)
    {
        for (var i = 0; i < other._count; i++)
        {
            var item = other._slots[i];
            if (groupIndexMap is not null && item.GroupIndex >= 0) item.GroupIndex = groupIndexMap[item.GroupIndex];
            Add(item);
        }
    }

    /// <summary>The kept candidates, first to last.</summary>
    /// <remarks>A heapsort of the nodes, with the heap's own sift: no comparison delegate, no code that must tier up first.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public List<MiningCandidate> ToSortedList()
    {
        var nodes = _heap.AsSpan(0, _count).ToArray();
        for (var end = nodes.Length - 1; end > 0; end--)
        {
            // The root comes after every other: it goes to the end of what is left.
            (nodes[0], nodes[end]) = (nodes[end], nodes[0]);
            SiftDown(nodes, end, 0);
        }
        var list = new List<MiningCandidate>(nodes.Length);
        foreach (var node in nodes) list.Add(_slots[node.Slot]);
        return list;
    }

    // TOrder.Before on the node's fields: the key first, then the earlier position.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(double key, long position, in Node other) =>
        TOrder.KeyBefore(key, other.Key) || (key == other.Key && position < other.Position);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Node a, in Node b) => Before(a.Key, a.Position, b);

    // The root is the node that every other kept one comes before.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SiftUp(int i)
    {
        var node = _heap[i];
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Before(_heap[parent], node)) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = node;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiftDown(Node[] heap, int count, int i)
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

    private readonly struct Node(double key, long position, int slot)
    {
        public readonly double Key = key;
        public readonly long Position = position;
        public readonly int Slot = slot;
    }
}
