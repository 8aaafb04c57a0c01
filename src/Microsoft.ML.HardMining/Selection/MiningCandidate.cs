using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

/// <summary>One scanned row as the selector sees it: where it is, how hard it is, and its keys.</summary>
internal struct MiningCandidate
{
    public long Position;
    /// <summary>
    /// The ranking key: the loss itself, or a cheaper value that orders the rows of a class exactly as their loss does
    /// (e.g. the signed margin for log-loss from a raw score); <see cref="SelectionPlan.LossOf"/> turns it into the loss.
    /// </summary>
    public double Hardness;
    /// <summary>Uniform in (0, 1), a hash of (seed, position): the reservoir key of the random share.</summary>
    public double RandomKey;
    /// <summary>Efraimidis-Spirakis key <c>ln(u) / w</c> of stochastic selection; larger is chosen first.</summary>
    public double SamplingKey;
    public int ClassIndex;
    /// <summary>Index into the selector's group table, or -1 without a group column.</summary>
    public int GroupIndex;
    public DataViewRowId RowId;
    public float X1, Y1, X2, Y2;
}

/// <summary>
/// A strict order on candidates by a ranking key, then the earlier position (stable ties, whatever the partitioning):
/// <see cref="CandidateOrder.Before{TOrder}(in MiningCandidate, in MiningCandidate)"/>.
/// </summary>
internal interface ICandidateOrder
{
    /// <summary>The ranking key.</summary>
    static abstract double KeyOf(in MiningCandidate candidate);

    /// <summary>Whether key <paramref name="a"/> comes strictly before key <paramref name="b"/>.</summary>
    static abstract bool KeyBefore(double a, double b);
}

/// <summary>Harder first: higher hardness (so higher loss), then the earlier row.</summary>
internal readonly struct ByLoss : ICandidateOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KeyOf(in MiningCandidate candidate) => candidate.Hardness;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool KeyBefore(double a, double b) => a > b;
}

/// <summary>Smaller random key first: a uniform sample without replacement, identical for a seed however rows are split.</summary>
internal readonly struct ByRandomKey : ICandidateOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KeyOf(in MiningCandidate candidate) => candidate.RandomKey;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool KeyBefore(double a, double b) => a < b;
}

/// <summary>Larger sampling key first: weighted sampling without replacement.</summary>
internal readonly struct BySamplingKey : ICandidateOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KeyOf(in MiningCandidate candidate) => candidate.SamplingKey;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool KeyBefore(double a, double b) => a > b;
}

internal static class CandidateOrder
{
    /// <summary>Whether a candidate with key <paramref name="keyA"/> at <paramref name="positionA"/> comes before one with key
    /// <paramref name="keyB"/> at <paramref name="positionB"/>: the key first, then the earlier position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before<TOrder>(double keyA, long positionA, double keyB, long positionB) where TOrder : struct, ICandidateOrder =>
        TOrder.KeyBefore(keyA, keyB) || (keyA == keyB && positionA < positionB);

    /// <summary>Whether <paramref name="a"/> is preferred to <paramref name="b"/> under <typeparamref name="TOrder"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before<TOrder>(in MiningCandidate a, in MiningCandidate b) where TOrder : struct, ICandidateOrder =>
        Before<TOrder>(TOrder.KeyOf(a), a.Position, TOrder.KeyOf(b), b.Position);

    // A struct comparer makes the sort a specialised, inlined loop rather than a delegate call per comparison.
    public static void Sort<TOrder>(List<MiningCandidate> items) where TOrder : struct, ICandidateOrder =>
        CollectionsMarshal.AsSpan(items).Sort(new Comparer<TOrder>());

    private readonly struct Comparer<TOrder> : IComparer<MiningCandidate> where TOrder : struct, ICandidateOrder
    {
        public int Compare(MiningCandidate a, MiningCandidate b) => Before<TOrder>(a, b) ? -1 : Before<TOrder>(b, a) ? 1 : 0;
    }
}
