namespace Microsoft.ML.HardMining;

/// <summary>
/// Keeps the <see cref="Capacity"/> first candidates under <typeparamref name="TOrder"/> seen so far, in O(capacity) memory.
/// A binary heap whose root is the last of the kept, so a new candidate is rejected in O(1) or replaces the root in O(log k).
/// The plain equivalent is "collect everything, sort, take the first k" (<see cref="ReferenceSelector"/>).
/// </summary>
internal sealed class BoundedTopK<TOrder> where TOrder : struct, ICandidateOrder
{
    private MiningCandidate[] _heap;
    private int _count;

    public BoundedTopK(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        if (capacity > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A mining budget above 2^31 rows per class cannot be held in memory; use a smaller count or fraction.");
        Capacity = (int)capacity;
        _heap = new MiningCandidate[Math.Min(Capacity, 1024)];
    }

    public int Capacity { get; }

    public int Count => _count;

    /// <summary>Whether <see cref="Add"/> would keep <paramref name="item"/> now.</summary>
    public bool Admits(in MiningCandidate item) => _count < Capacity || (Capacity > 0 && TOrder.Before(item, _heap[0]));

    public void Add(in MiningCandidate item)
    {
        if (_count < Capacity)
        {
            if (_count == _heap.Length)
                Array.Resize(ref _heap, (int)Math.Min((long)_heap.Length * 2, Capacity));
            _heap[_count] = item;
            SiftUp(_count++);
        }
        else if (Capacity > 0 && TOrder.Before(item, _heap[0]))
        {
            _heap[0] = item;
            SiftDown(0);
        }
    }

    public void AddRange(BoundedTopK<TOrder> other, int[]? groupIndexMap = null)
    {
        for (var i = 0; i < other._count; i++)
        {
            var item = other._heap[i];
            if (groupIndexMap is not null && item.GroupIndex >= 0) item.GroupIndex = groupIndexMap[item.GroupIndex];
            Add(item);
        }
    }

    /// <summary>The kept candidates, first to last.</summary>
    public List<MiningCandidate> ToSortedList()
    {
        var list = new List<MiningCandidate>(_count);
        for (var i = 0; i < _count; i++) list.Add(_heap[i]);
        CandidateOrder.Sort<TOrder>(list);
        return list;
    }

    // The root is the candidate that every other kept one comes before.
    private void SiftUp(int i)
    {
        var item = _heap[i];
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!TOrder.Before(_heap[parent], item)) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = item;
    }

    private void SiftDown(int i)
    {
        var item = _heap[i];
        var half = _count >> 1;
        while (i < half)
        {
            var child = 2 * i + 1;
            var right = child + 1;
            if (right < _count && TOrder.Before(_heap[child], _heap[right])) child = right;
            if (!TOrder.Before(item, _heap[child])) break;
            _heap[i] = _heap[child];
            i = child;
        }
        _heap[i] = item;
    }
}
