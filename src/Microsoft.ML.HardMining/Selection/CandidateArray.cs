using System.Runtime.CompilerServices;

namespace Microsoft.ML.HardMining;

/// <summary>The first <paramref name="count"/> candidates of an array (one rented from the shared pool, say), read-only.</summary>
internal sealed class CandidateArray(MiningCandidate[] items, int count) : IReadOnlyList<MiningCandidate>
{
    public int Count => count;

    public MiningCandidate this[int index]
    {
        // Fully optimised from the first call: the assembly reads thousands of rows through it once per pass.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get => (uint)index < (uint)count ? items[index] : throw new ArgumentOutOfRangeException(nameof(index));
    }

    public IEnumerator<MiningCandidate> GetEnumerator()
    {
        for (var i = 0; i < count; i++) yield return items[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
