using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// A generated view of any length that holds nothing in memory: row i's label and score are hashes of i
/// (about 10% positives, scores around +1 for positives and -1 for negatives), so a 10M-row pass measures the miner, not storage.
/// With <paramref name="asProbability"/> the Score column holds the score's sigmoid: a probability of the positive class.
/// </summary>
public sealed class SyntheticScoredView(long rows, bool asProbability = false) : GeneratedDataView(rows, "Score", NumberDataViewType.Single)
{
    private protected override DataViewRowCursor CreateCursor() => new Cursor(this);

    private bool AsProbability { get; } = asProbability;

    internal static ulong Hash(long i)
    {
        var z = (ulong)i + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // A row is positive when the low 10 bits of its hash fall below this: 102 of every 1,024 rows, ~10%.
    private const ulong PositivesPer1024 = 102;

    public static bool LabelOf(long i) => (Hash(i) & 1023) < PositivesPer1024;

    public static float ScoreOf(long i)
    {
        var h = Hash(i ^ 0x5555);
        var u = ((h >> 11) + 0.5) / (1UL << 53);
        // The label's sign without a branch: (label ? 1f : -1f) compiled to a branch on the label inside the getter, which
        // mispredicted on one row in ten in the bare pass too and trained the branch predictor for any later branch on the
        // label in the caller's loop: a miner that branched on the label got that branch free here, and only here (over
        // ML.NET's cache the same branch cost ~2.5 ns a row). The values are the same: +1 or -1 plus the uniform.
        var isPositive = 1 - (long)(((Hash(i) & 1023) + (1024 - PositivesPer1024)) >> 10);
        return (2 * isPositive - 1) + (float)(4 * u - 2);
    }

    private sealed class Cursor(SyntheticScoredView parent) : GeneratedRowCursor(parent.Schema, parent.Rows)
    {
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0) { ValueGetter<bool> g = (ref bool v) => v = LabelOf(RowPosition); return (ValueGetter<TValue>)(Delegate)g; }
            ValueGetter<float> s = parent.AsProbability
                ? (ref float v) => v = 1f / (1f + MathF.Exp(-ScoreOf(RowPosition)))
                : (ref float v) => v = ScoreOf(RowPosition);
            return (ValueGetter<TValue>)(Delegate)s;
        }
    }
}
