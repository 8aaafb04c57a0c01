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

/// <summary>A strict order on candidates: <see cref="Before"/> is true when <c>a</c> is preferred to <c>b</c>.</summary>
internal interface ICandidateOrder
{
    static abstract bool Before(in MiningCandidate a, in MiningCandidate b);

    /// <summary>The ranking key: <see cref="Before"/> compares it with <see cref="KeyBefore"/>, then the positions.</summary>
    static abstract double KeyOf(in MiningCandidate candidate);

    /// <summary>Whether key <paramref name="a"/> comes strictly before key <paramref name="b"/>.</summary>
    static abstract bool KeyBefore(double a, double b);
}

/// <summary>Harder first: higher hardness (so higher loss), then the earlier row (stable ties, whatever the partitioning).</summary>
internal readonly struct ByLoss : ICandidateOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KeyOf(in MiningCandidate candidate) => candidate.Hardness;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool KeyBefore(double a, double b) => a > b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(in MiningCandidate a, in MiningCandidate b) =>
        a.Hardness > b.Hardness || (a.Hardness == b.Hardness && a.Position < b.Position);
}

/// <summary>Smaller random key first: a uniform sample without replacement, identical for a seed however rows are split.</summary>
internal readonly struct ByRandomKey : ICandidateOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KeyOf(in MiningCandidate candidate) => candidate.RandomKey;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool KeyBefore(double a, double b) => a < b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(in MiningCandidate a, in MiningCandidate b) =>
        a.RandomKey < b.RandomKey || (a.RandomKey == b.RandomKey && a.Position < b.Position);
}

/// <summary>Larger sampling key first: weighted sampling without replacement.</summary>
internal readonly struct BySamplingKey : ICandidateOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KeyOf(in MiningCandidate candidate) => candidate.SamplingKey;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool KeyBefore(double a, double b) => a > b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(in MiningCandidate a, in MiningCandidate b) =>
        a.SamplingKey > b.SamplingKey || (a.SamplingKey == b.SamplingKey && a.Position < b.Position);
}

internal static class CandidateOrder
{
    public static int Compare<TOrder>(MiningCandidate a, MiningCandidate b) where TOrder : struct, ICandidateOrder =>
        TOrder.Before(a, b) ? -1 : TOrder.Before(b, a) ? 1 : 0;

    // A struct comparer makes the sort a specialised, inlined loop rather than a delegate call per comparison.
    public static void Sort<TOrder>(List<MiningCandidate> items) where TOrder : struct, ICandidateOrder =>
        CollectionsMarshal.AsSpan(items).Sort(new Comparer<TOrder>());

    private readonly struct Comparer<TOrder> : IComparer<MiningCandidate> where TOrder : struct, ICandidateOrder
    {
        public int Compare(MiningCandidate a, MiningCandidate b) => TOrder.Before(a, b) ? -1 : TOrder.Before(b, a) ? 1 : 0;
    }
}
