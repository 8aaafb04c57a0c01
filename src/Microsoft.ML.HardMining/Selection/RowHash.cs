namespace Microsoft.ML.HardMining;

/// <summary>
/// Per-row random numbers that depend only on (seed, stream, position), never on the order rows arrive in:
/// the same seed gives the same selection on one thread or many, and two partial selections merge exactly.
/// </summary>
internal static class RowHash
{
    public const ulong RandomShareStream = 0x5EED_0001;
    public const ulong SamplingStream = 0x5EED_0002;

    /// <summary>A uniform double in the open interval (0, 1).</summary>
    public static double Uniform(int seed, ulong stream, long position)
    {
        var x = SplitMix64(SplitMix64(((ulong)(uint)seed << 32) ^ stream) ^ (ulong)position);
        return ((x >> 11) + 0.5) * (1.0 / (1UL << 53));
    }

    private static ulong SplitMix64(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
