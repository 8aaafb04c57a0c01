
namespace Microsoft.ML.HardMining;

/// <summary>
/// The streaming selector: one <see cref="Add"/> per row, memory bounded by the budgets (plus the open groups' candidates
/// in grouped mode), and <see cref="Merge"/> to combine selectors that saw disjoint parts of the data. Its result equals
/// <see cref="ReferenceSelector"/>'s on the same rows, however they were split.
/// </summary>
internal sealed partial class HardExampleSelector
{
    private readonly SelectionPlan _plan;
    private readonly ClassState[] _classes;
    private readonly Dictionary<string, int> _groupIndex = new(StringComparer.Ordinal);
    private readonly List<GroupBuffer> _groups = [];

    // Read once from the plan: Admit runs for every scanned row.
    private readonly bool _needsEveryLoss;
    private readonly bool _grouped;
    private readonly HistogramSampler _sampler;
    private readonly RandomShareKeys _randomKeys;
    private long _lastBlock = -1;
    private double _lastBlockMinimum;

    public HardExampleSelector(SelectionPlan plan)
    {
        _plan = plan;
        _needsEveryLoss = plan.NeedsEveryLoss;
        _grouped = plan.Grouped;
        _sampler = new HistogramSampler(plan);
        _randomKeys = new RandomShareKeys(plan.Options.Seed);
        _classes = new ClassState[plan.ClassCount];
        for (var c = 0; c < plan.ClassCount; c++)
            _classes[c] = new ClassState(plan, c);
    }

    public long RowsAdded { get; private set; }

    /// <summary>Adds one row with a finite loss; <paramref name="groupKey"/> is its group in grouped mode.</summary>
    public void Add(MiningCandidate candidate, string? groupKey = null)
    {
        if (Admit(ref candidate)) Store(candidate, groupKey);
    }

    /// <summary>
    /// Counts a row and fills its keys; true when the row must be stored with <see cref="Store"/>. Most rows of a large view
    /// are turned away here, before their row id, box and group are even read.
    /// </summary>
    public bool Admit(ref MiningCandidate candidate)
    {
        RowsAdded++;
        var state = _classes[candidate.ClassIndex];
        state.Rows++;
        if (_needsEveryLoss)
        {
            var loss = _plan.LossOf(candidate.ClassIndex, candidate.Hardness);
            if (_sampler.Takes(candidate.Position)) _sampler.AddLoss(candidate.ClassIndex, loss);
            if (loss > _plan.Options.MaxLoss)
            {
                state.AboveMaxLoss++;
                return false;
            }
            if (_plan.Options.Mode == SelectionMode.Stochastic)
                candidate.SamplingKey = _plan.SamplingKey(candidate.ClassIndex, loss, candidate.Position);
        }
        // The top-k path computes no loss per row: hardness orders rows like their loss, and the histogram samples.
        else if (_sampler.Takes(candidate.Position))
            _sampler.Add(candidate.Position, candidate.ClassIndex, candidate.Hardness);
        if (_grouped || state.ByLoss.Admits(candidate) || (state.BySamplingKey?.Admits(candidate) ?? false))
        {
            // A stored row may reach the random share too (directly, or when the loss buffer drops it): it needs its key.
            if (state.ByRandomKey.Capacity > 0) candidate.RandomKey = _randomKeys.Key(candidate.Position);
            return true;
        }
        if (!MayEnterRandomShare(state.ByRandomKey, candidate.Position)) return false;
        candidate.RandomKey = _randomKeys.Key(candidate.Position);
        return state.ByRandomKey.Admits(candidate);
    }

    // Rows arrive in position order, so the block of the last row is usually the block of this one: one logarithm per block.
    private bool MayEnterRandomShare(BoundedTopK<ByRandomKey> heap, long position)
    {
        if (heap.Capacity == 0) return false;
        if (!heap.HasBar) return true;
        var block = position >> RandomShareKeys.BlockShift;
        if (block != _lastBlock)
        {
            _lastBlock = block;
            _lastBlockMinimum = RandomShareKeys.BlockMinimum(_randomKeys.BlockHash(block));
        }
        return _lastBlockMinimum <= heap.BarKey;
    }

    /// <summary>Keeps a row that <see cref="Admit"/> let in, its row id (and box) filled.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Store(in MiningCandidate admitted, string? groupKey)
    {
        var candidate = admitted;
        // The group first: a row drawn for the random share must count in its group too.
        if (_grouped) candidate.GroupIndex = GroupIndexOf(groupKey ?? string.Empty);
        _classes[candidate.ClassIndex].AddToBuffers(candidate);
        if (_grouped) _groups[candidate.GroupIndex].Add(candidate, _plan.Options.MaxCandidatesPerGroup);
    }

    /// <summary>Absorbs a selector that saw other rows under the same plan.</summary>
    public void Merge(HardExampleSelector other)
    {
        if (other._plan.ClassCount != _plan.ClassCount)
            throw new InvalidOperationException("Only selectors built from the same options and data layout can be merged.");
        RowsAdded += other.RowsAdded;
        _sampler.Merge(other._sampler);
        // Group indexes are local to each selector: the other's rows are renumbered into this one's group table.
        var groupIndexMap = other._groups.Select(g => GroupIndexOf(g.Name)).ToArray();
        for (var c = 0; c < _classes.Length; c++)
            _classes[c].Merge(other._classes[c], groupIndexMap);
        for (var g = 0; g < other._groups.Count; g++)
        {
            var index = groupIndexMap[g];
            foreach (var candidate in other._groups[g].Candidates)
                _groups[index].Add(candidate with { GroupIndex = index }, _plan.Options.MaxCandidatesPerGroup);
            _groups[index].RowsSeen += other._groups[g].RowsSeen - other._groups[g].Candidates.Count;
        }
    }

    public LossHistogram HistogramOf(int classIndex) => _sampler.Histogram(classIndex);

    /// <summary>The scan is over after <paramref name="rows"/> rows (every row, valid or not): the histograms' sampling
    /// ends where it would on a view of known size.</summary>
    public void EndOfRows(long rows) => _sampler.EndOfRows(rows);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public MiningSelection Complete()
    {
        var counters = new GroupStage.Counters();
        var pools = new ClassPools[_classes.Length];
        List<MiningCandidate>[]? survivors = null;
        if (_plan.Grouped)
        {
            var noise = new HashSet<long>();
            foreach (var state in _classes)
            {
                var ranked = state.ByLoss.ToSortedList();
                for (var i = 0; i < _plan.NoiseCount(state.Rows) && i < ranked.Count; i++) noise.Add(ranked[i].Position);
            }
            survivors = RunGroupStage(noise, counters);
        }

        for (var c = 0; c < _classes.Length; c++)
        {
            var state = _classes[c];
            var byLoss = state.LossPool();
            var easy = state.ByRandomKey.ToSortedList();
            pools[c] = new ClassPools
            {
                ByLoss = byLoss,
                EasyByRandomKey = state.SplitsRandomShare ? easy : null,
                BuildByRandomKey = () => state.RandomPool(byLoss, easy),
                BySamplingKey = state.BySamplingKey?.ToSortedList(),
                HardPool = survivors?[c],
                ValidRows = state.Rows,
                AboveMaxLoss = state.AboveMaxLoss,
            };
        }
        var selection = SelectionAssembler.Assemble(_plan, pools, counters, _plan.Grouped ? _groups.Select(g => g.Name).ToArray() : null);
        for (var c = 0; c < _classes.Length; c++)
        {
            selection.Classes[c].LossesOnFirstRead(_sampler);
            _classes[c].Release();
        }
        return selection;
    }

    private List<MiningCandidate>[] RunGroupStage(HashSet<long> noise, GroupStage.Counters counters)
    {
        var survivors = new List<MiningCandidate>[_plan.ClassCount];
        for (var c = 0; c < survivors.Length; c++) survivors[c] = [];
        foreach (var group in _groups)
        {
            var candidates = group.Final(_plan.Options.MaxCandidatesPerGroup);
            counters.DroppedByCandidateCap += group.RowsSeen - candidates.Count;
            candidates.RemoveAll(c => noise.Contains(c.Position));
            foreach (var c in GroupStage.Apply(_plan, candidates, counters))
                survivors[c.ClassIndex].Add(c);
        }
        foreach (var list in survivors)
        {
            if (_plan.Options.Mode == SelectionMode.Stochastic) CandidateOrder.Sort<BySamplingKey>(list);
            else CandidateOrder.Sort<ByLoss>(list);
        }
        return survivors;
    }

    private int GroupIndexOf(string key)
    {
        if (!_groupIndex.TryGetValue(key, out var index))
        {
            index = _groups.Count;
            _groupIndex.Add(key, index);
            _groups.Add(new GroupBuffer(key));
        }
        return index;
    }

    private sealed class ClassState
    {
        public ClassState(SelectionPlan plan, int classIndex)
        {
            var randomShare = plan.Options.RandomShare > 0;
            SplitsRandomShare = randomShare && plan.Options.Mode == SelectionMode.TopK && !plan.Grouped;
            // Top-k: the loss buffer holds the noise-guarded top and the hard part, so a row it turns away or drops can be
            // neither, and the random share only needs room for itself among those rows. Grouped or stochastic: the hard part
            // comes from elsewhere, so the random share ranks every row and needs room for the whole budget.
            ByRandomKey = new BoundedTopK<ByRandomKey>(!randomShare ? 0 : SplitsRandomShare ? plan.RandomCapacity(classIndex) : plan.Capacity(classIndex));
            // Grouped: the group stage ranks every row, the loss heap only finds the noise-guarded top.
            var lossCapacity = plan.Grouped ? plan.NoiseCount(plan.ClassRowUpperBounds[classIndex])
                : plan.Options.Mode == SelectionMode.TopK ? plan.HardCapacity(classIndex) : plan.Capacity(classIndex);
            ByLoss = new BoundedTopK<ByLoss>(lossCapacity, SplitsRandomShare ? ByRandomKey : null);
            if (plan.Options.Mode == SelectionMode.Stochastic)
                BySamplingKey = new BoundedTopK<BySamplingKey>(plan.Capacity(classIndex));
        }

        /// <summary>
        /// Whether the random share ranks only the rows the loss buffer turned away or dropped (top-k without groups), rather
        /// than every row.
        /// </summary>
        public readonly bool SplitsRandomShare;

        /// <summary>Offers a stored row to each buffer of the class, which keeps it if it passes that buffer's bar.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void AddToBuffers(in MiningCandidate candidate)
        {
            // Split: the loss buffer passes what it turns away or drops on to the random share, so one Add offers the row to both.
            ByLoss.Add(candidate);
            if (!SplitsRandomShare) ByRandomKey.Add(candidate);
            BySamplingKey?.Add(candidate);
        }

        /// <summary>The loss buffer's rows, hardest first; split, what is beyond its room goes to the random share first.</summary>
        public IReadOnlyList<MiningCandidate> LossPool()
        {
            if (SplitsRandomShare) ByLoss.DropBeyondCapacity();
            return ByLoss.ToSortedList();
        }

        /// <summary>
        /// The random share's candidates, first to last: its own buffer's (<paramref name="easy"/>). Split, a row the loss buffer
        /// still holds (<paramref name="lossPool"/>) may also be easy in the end (the budget can come out smaller than the
        /// buffer's room), so those rows join, where their key can still matter.
        /// </summary>
        public IReadOnlyList<MiningCandidate> RandomPool(IReadOnlyList<MiningCandidate> lossPool, IReadOnlyList<MiningCandidate> easy)
        {
            if (!SplitsRandomShare || ByRandomKey.Capacity == 0) return easy;
            // The easy rows alone fill the share up to their last: a row after it is never drawn. Few rows of the loss pool
            // come before it (about R of every N), so they are sorted on their own and merged in.
            var full = easy.Count == ByRandomKey.Capacity;
            List<MiningCandidate>? joining = null;
            // The joining rows are sorted by random key below, so the loss pool's own order does not matter here.
            var lossRows = RankedCandidates.InAnyOrderOf(lossPool);
            for (var i = 0; i < lossRows.Count; i++)
            {
                var candidate = lossRows[i];
                if (full && !CandidateOrder.Before<ByRandomKey>(candidate, easy[^1])) continue;
                (joining ??= []).Add(candidate);
            }
            if (joining is null) return easy;
            CandidateOrder.Sort<ByRandomKey>(joining);
            // From the shared pool, given back in Release: 2,500 candidates of 72 bytes were a fresh large-object array per pass.
            var count = easy.Count + joining.Count;
            var pool = _mergedRandomPool = ScratchArrays.Rent<MiningCandidate>(count);
            int e = 0, j = 0;
            for (var i = 0; i < count; i++)
            {
                var takeEasy = j == joining.Count || (e < easy.Count && CandidateOrder.Before<ByRandomKey>(easy[e], joining[j]));
                pool[i] = takeEasy ? easy[e++] : joining[j++];
            }
            return new CandidateArray(pool, count);
        }

        private MiningCandidate[]? _mergedRandomPool;

        /// <summary>Gives the buffers' arrays back to the shared pool once the selection is assembled.</summary>
        public void Release()
        {
            if (_mergedRandomPool is not null) ScratchArrays.Return(_mergedRandomPool);
            _mergedRandomPool = null;
            ByLoss.Release();
            ByRandomKey.Release();
            BySamplingKey?.Release();
        }

        public long Rows;
        public long AboveMaxLoss;
        public readonly BoundedTopK<ByLoss> ByLoss;
        public readonly BoundedTopK<ByRandomKey> ByRandomKey;
        public readonly BoundedTopK<BySamplingKey>? BySamplingKey;

        public void Merge(ClassState other, int[] groupIndexMap)
        {
            Rows += other.Rows;
            AboveMaxLoss += other.AboveMaxLoss;
            ByLoss.AddRange(other.ByLoss, groupIndexMap);
            ByRandomKey.AddRange(other.ByRandomKey, groupIndexMap);
            BySamplingKey?.AddRange(other.BySamplingKey!, groupIndexMap);
        }
    }

    /// <summary>A group's candidates, trimmed to the hardest <c>cap</c> whenever they reach twice the cap.</summary>
    private sealed class GroupBuffer(string name)
    {
        public string Name { get; } = name;
        public List<MiningCandidate> Candidates { get; } = [];
        public long RowsSeen;

        public void Add(in MiningCandidate candidate, int cap)
        {
            RowsSeen++;
            Candidates.Add(candidate);
            if (cap > 0 && Candidates.Count >= 2 * cap) Trim(cap);
        }

        public List<MiningCandidate> Final(int cap)
        {
            if (cap > 0 && Candidates.Count > cap) Trim(cap);
            return [.. Candidates];
        }

        private void Trim(int cap)
        {
            CandidateOrder.Sort<ByLoss>(Candidates);
            Candidates.RemoveRange(cap, Candidates.Count - cap);
        }
    }
}
