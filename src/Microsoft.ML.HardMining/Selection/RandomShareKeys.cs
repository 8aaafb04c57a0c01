namespace Microsoft.ML.HardMining;

/// <summary>
/// The random share's reservoir keys: one independent Exp(1) value per position, a function of (seed, position) only, so the
/// rows with the smallest keys are a uniform sample without replacement that any split of the data reproduces. The keys are
/// drawn block by block, which lets a scan rule out a whole block of rows with one hash instead of one hash per row.
/// </summary>
/// <remarks>
/// <para>For <see cref="BlockSize"/> independent Exp(1) values, the minimum is Exp(<see cref="BlockSize"/>), the position of
/// the minimum is uniform and independent of it, and the others are the minimum plus independent Exp(1) values (the
/// exponential distribution forgets). So a block's hash gives its minimum <c>−ln(u) / BlockSize</c> and the offset that holds
/// it; every other position adds <c>−ln(v)</c> from its own hash. The keys are exactly i.i.d. Exp(1), as if drawn per row.</para>
/// <para>A row can enter a reservoir whose largest kept key is <c>g</c> only if its block's minimum is below <c>g</c>, that is
/// only if <c>u &gt; exp(−BlockSize·g)</c>: most blocks of a large scan are skipped on that test (<see cref="BlockMayHoldKeyBelow"/>).</para>
/// </remarks>
internal readonly struct RandomShareKeys
{
    public const int BlockShift = 4;
    public const int BlockSize = 1 << BlockShift;
    public const long BlockMask = BlockSize - 1;

    // The gate tests in uniform space are rounded the safe way: a block or row is let through to the exact test a little early.
    private const double Slack = 1 - 1e-9;

    private readonly ulong _blockKey;
    private readonly ulong _rowKey;

    public RandomShareKeys(int seed)
    {
        _blockKey = RowHash.StreamKey(seed, RowHash.RandomShareBlockStream);
        _rowKey = RowHash.StreamKey(seed, RowHash.RandomShareStream);
    }

    /// <summary>The key of the row at <paramref name="position"/>.</summary>
    public double Key(long position)
    {
        var block = BlockHash(position >> BlockShift);
        return KeyInBlock(position, BlockMinimum(block), position - (position & BlockMask) + ArgMinimumOffset(block));
    }

    /// <summary>The key of a row of a block already hashed: its minimum, and the position that holds it.</summary>
    public double KeyInBlock(long position, double blockMinimum, long argMinimumPosition) =>
        position == argMinimumPosition ? blockMinimum : blockMinimum - Math.Log(RowUniform(position));

    /// <summary>The hash of a block (a position shifted right by <see cref="BlockShift"/>) that fixes its minimum and where it is.</summary>
    public ulong BlockHash(long block) => RowHash.Mix(_blockKey ^ (ulong)block);

    public static double BlockUniform(ulong blockHash) => RowHash.ToUnitInterval(blockHash);

    /// <summary>The 53 bits behind <see cref="BlockUniform"/>, tested against <see cref="UniformBitsBelow"/> of a bar on it.</summary>
    public static long BlockUniformBits(ulong blockHash) => (long)RowHash.UnitIntervalBits(blockHash);

    public static double BlockMinimum(ulong blockHash) => -Math.Log(BlockUniform(blockHash)) / BlockSize;

    // The low bits are not used by the block's uniform (it takes the top 53).
    public static long ArgMinimumOffset(ulong blockHash) => (long)(blockHash & BlockMask);

    /// <summary>
    /// A bar on <see cref="BlockUniform"/> such that every block whose minimum is below <paramref name="gate"/> has a uniform
    /// above it (a few more may pass, never fewer). +∞ gives 0 (every block), 0 gives 1 (none).
    /// </summary>
    public static double BlockMayHoldKeyBelow(double gate) => Math.Exp(-BlockSize * gate) * Slack;

    /// <summary>
    /// Likewise for one row of a block with minimum <paramref name="blockMinimum"/>, not the minimum's own row: its key is below
    /// <paramref name="gate"/> only if its own uniform is above the returned bar (2 when no row of the block can be).
    /// </summary>
    public static double RowMayHaveKeyBelow(double blockMinimum, double gate) =>
        blockMinimum < gate ? Math.Exp(blockMinimum - gate) * Slack : 2;

    /// <summary>The row's own uniform, tested against <see cref="RowMayHaveKeyBelow"/>.</summary>
    public double RowUniform(long position) => RowHash.Uniform(_rowKey, position);

    /// <summary>The 53 bits behind <see cref="RowUniform"/>: a larger number is a larger uniform.</summary>
    public long RowUniformBits(long position) => (long)RowHash.UnitIntervalBits(RowHash.Hash(_rowKey, position));

    /// <summary>
    /// A bar in <see cref="RowUniformBits"/> for a bar on the uniform in [0, 2]: every row whose uniform is above
    /// <paramref name="bar"/> has bits above the result (a row at the edge may pass too, never one fewer).
    /// </summary>
    public static long UniformBitsBelow(double bar) => bar >= 1 ? long.MaxValue : (long)Math.Floor(bar * RowHash.UnitIntervalSteps) - 1;
}
