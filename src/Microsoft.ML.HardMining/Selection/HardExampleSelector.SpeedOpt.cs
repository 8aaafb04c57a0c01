using System.Runtime.CompilerServices;

namespace Microsoft.ML.HardMining;

// What the fast scan (HardExampleMiner.Scan.SpeedOpt.cs) needs to keep most rows out of Admit: the heaps' current entry
// bars as plain numbers, and Admit split into its counting and its admission halves.
internal sealed partial class HardExampleSelector
{
    /// <summary>
    /// A row of <paramref name="classIndex"/> scanned after every row seen so far can enter the loss heap only when its hardness
    /// is above this value (ties lose: the earlier row comes first). −∞ while the heap has room, +∞ when it holds nothing.
    /// </summary>
    public double HardnessGate(int classIndex)
    {
        var heap = _classes[classIndex].ByLoss;
        if (heap.Capacity == 0) return double.PositiveInfinity;
        return heap.HasBar ? heap.BarKey : double.NegativeInfinity;
    }

    /// <summary>Likewise for the random share: a later row enters only with a random key below this value; 0 when the share is empty.</summary>
    public double RandomKeyGate(int classIndex)
    {
        var heap = _classes[classIndex].ByRandomKey;
        if (heap.Capacity == 0) return 0;
        return heap.HasBar ? heap.BarKey : double.PositiveInfinity;
    }

    /// <summary>Whether the class keeps a random share at all (so its rows need a random key).</summary>
    public bool HasRandomShare(int classIndex) => _classes[classIndex].ByRandomKey.Capacity > 0;

    /// <summary>Counts rows of a class that went through the gates: <see cref="Admit"/> without the admission.</summary>
    public void CountRows(int classIndex, long rows)
    {
        RowsAdded += rows;
        _classes[classIndex].Rows += rows;
    }

    /// <summary>Whether the row at <paramref name="position"/> is sampled for the histograms, as in <see cref="Admit"/>.</summary>
    public bool TakesSample(long position) => _sampler.Takes(position);

    /// <summary>The histograms' current stride minus one (it only grows).</summary>
    public long SampleMask => _sampler.Mask;

    /// <summary>Samples a row for its class histogram, as <see cref="Admit"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SampleHardness(long position, int classIndex, double hardness) => _sampler.Add(position, classIndex, hardness);

    /// <summary>
    /// <see cref="Store"/> without groups, for a row that passed a gate and is already counted, its random key filled when the
    /// class has a random share: each buffer keeps it only if it still passes that buffer's bar. It skips Store's copy of the
    /// candidate and its group steps: calling Store from the fast scan measured 1–3 ms slower per 10M-row pass (loop bench).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void StoreUngrouped(in MiningCandidate candidate) => _classes[candidate.ClassIndex].AddToBuffers(candidate);
}
