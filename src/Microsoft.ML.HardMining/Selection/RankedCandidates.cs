namespace Microsoft.ML.HardMining;

/// <summary>Candidates first to last under some order, which a caller that takes every one of them can skip.</summary>
internal interface IRankedCandidates : IReadOnlyList<MiningCandidate>
{
    /// <summary>The same candidates in no particular order: for a caller whose result does not depend on their order.</summary>
    IReadOnlyList<MiningCandidate> InAnyOrder { get; }

    /// <summary>The first <paramref name="count"/> candidates and the others, each in no particular order: for a caller that
    /// takes a head whole and treats the tail apart (a partial selection instead of a sort).</summary>
    (IReadOnlyList<MiningCandidate> Head, IReadOnlyList<MiningCandidate> Tail) SplitInAnyOrder(int count);
}

/// <summary>Ranked candidates held in a list that is already in order.</summary>
internal sealed class RankedCandidates(IReadOnlyList<MiningCandidate> inOrder) : IRankedCandidates
{
    public static readonly RankedCandidates Empty = new([]);

    public int Count => inOrder.Count;

    public MiningCandidate this[int index] => inOrder[index];

    public IReadOnlyList<MiningCandidate> InAnyOrder => inOrder;

    public (IReadOnlyList<MiningCandidate> Head, IReadOnlyList<MiningCandidate> Tail) SplitInAnyOrder(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, inOrder.Count);
        return ([.. inOrder.Take(count)], [.. inOrder.Skip(count)]);
    }

    /// <summary>The unordered read of <paramref name="candidates"/> when it has one, else the list itself.</summary>
    public static IReadOnlyList<MiningCandidate> InAnyOrderOf(IReadOnlyList<MiningCandidate> candidates) =>
        candidates is IRankedCandidates ranked ? ranked.InAnyOrder : candidates;

    public IEnumerator<MiningCandidate> GetEnumerator() => inOrder.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
