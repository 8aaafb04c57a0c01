namespace Microsoft.ML.HardMining;

/// <summary>
/// Per-row random numbers that depend only on (seed, stream, position), never on the order rows arrive in:
/// the same seed gives the same selection on one thread or many, and two partial selections merge exactly.
/// </summary>
internal static class RowHash
{
    public const ulong RandomShareStream = 0x5EED_0001;
    public const ulong SamplingStream = 0x5EED_0002;
    public const ulong RandomShareBlockStream = 0x5EED_0003;

    /// <summary>A uniform double in the open interval (0, 1).</summary>
    public static double Uniform(int seed, ulong stream, long position) => Uniform(StreamKey(seed, stream), position);

    /// <summary>The part of the hash that depends on (seed, stream) alone: a scan computes it once, not per row.</summary>
    public static ulong StreamKey(int seed, ulong stream) => Mix(((ulong)(uint)seed << 32) ^ stream);

    /// <summary>A uniform double in the open interval (0, 1) from a <see cref="StreamKey"/> and a position.</summary>
    public static double Uniform(ulong streamKey, long position) => ToUnitInterval(Hash(streamKey, position));

    /// <summary>The hash behind <see cref="Uniform(ulong, long)"/>.</summary>
    public static ulong Hash(ulong streamKey, long position) => Mix(streamKey ^ (ulong)position);

    /// <summary>The number of distinct values <see cref="UnitIntervalBits"/> takes: 2^53.</summary>
    public const ulong UnitIntervalSteps = 1UL << 53;

    /// <summary>The top 53 bits of a hash, which <see cref="ToUnitInterval"/> turns into a double: they order hashes as their
    /// uniforms are ordered, so a scan can compare them as integers.</summary>
    public static ulong UnitIntervalBits(ulong hash) => hash >> 11;

    /// <summary>The top 53 bits of a hash as a double in the open interval (0, 1).</summary>
    public static double ToUnitInterval(ulong hash) => (UnitIntervalBits(hash) + 0.5) * (1.0 / UnitIntervalSteps);

    /// <summary>SplitMix64's finaliser: a bijection on 64 bits whose outputs for consecutive inputs look independent.</summary>
    // Inlined even where the JIT would not (a fully optimised method's loop over a block's rows called it 16 times a block).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
