namespace Microsoft.ML.HardMining;

/// <summary>Candidates first to last under some order, which a caller that takes every one of them can skip.</summary>
internal interface IRankedCandidates : IReadOnlyList<MiningCandidate>
{
    /// <summary>The same candidates in no particular order: for a caller whose result does not depend on their order.</summary>
    IReadOnlyList<MiningCandidate> InAnyOrder { get; }
}

/// <summary>Ranked candidates held in a list that is already in order.</summary>
internal sealed class RankedCandidates(IReadOnlyList<MiningCandidate> inOrder) : IRankedCandidates
{
    public static readonly RankedCandidates Empty = new([]);

    public int Count => inOrder.Count;

    public MiningCandidate this[int index] => inOrder[index];

    public IReadOnlyList<MiningCandidate> InAnyOrder => inOrder;

    /// <summary>The unordered read of <paramref name="candidates"/> when it has one, else the list itself.</summary>
    public static IReadOnlyList<MiningCandidate> InAnyOrderOf(IReadOnlyList<MiningCandidate> candidates) =>
        candidates is IRankedCandidates ranked ? ranked.InAnyOrder : candidates;

    public IEnumerator<MiningCandidate> GetEnumerator() => inOrder.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
