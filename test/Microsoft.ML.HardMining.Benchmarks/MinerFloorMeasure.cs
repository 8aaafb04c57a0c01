using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// <c>miner-floor ROWS PASSES [--cached] [--pass-fraction F]</c>: the least an exact streaming miner must add to a bare
/// cursor pass, measured the way <c>miner-long</c> measures the miner (alternating passes in one process, medians of the
/// last 15). A floor, not a miner: it tests every row against fixed bars (the hardest fraction F of each class passes; 0 by
/// default) and, for a row that passes, reads its row id and appends 32 bytes. It keeps no heaps, no random share, no
/// histogram samples and no report, and lets −∞ scores through uncounted.
/// </summary>
/// <remarks>
/// A streaming top-k cannot know a row is not among the final k without comparing it with something, so the compare is the
/// least per-row work; a row that may be kept must be identified while the cursor is on it, so the id and the append are the
/// least per-entry work. An exact top-k of k rows from n in random order needs about k·(1 + ln(n/k)) entries
/// (<c>docs/benchmarks.md</c>); <c>--pass-fraction</c> sets a fixed bar that lets about that many rows through, which costs
/// less than a real selection: no bar ever moves.
/// </remarks>
public static class MinerFloorMeasure
{
    private const int Measured = 15;

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: miner-floor ROWS PASSES [--cached] [--pass-fraction F]");
            return 2;
        }
        var rows = long.Parse(args[0], CultureInfo.InvariantCulture);
        var passes = Math.Max(Measured, int.Parse(args[1], CultureInfo.InvariantCulture));
        var cached = args.Contains("--cached");
        var fractionAt = Array.IndexOf(args, "--pass-fraction");
        var fraction = fractionAt >= 0 ? double.Parse(args[fractionAt + 1], CultureInfo.InvariantCulture) : 0;
        // SyntheticScoredView's negatives score uniformly in [-3, 1] and its positives in [-1, 3]: the hardest fraction f of
        // either class has a hardness (the score, negated for a positive) above 1 - 4f.
        var bar = fraction > 0 ? (float)(1 - 4 * fraction) : float.MaxValue;
        var ml = new MLContext(seed: 1);
        IDataView view = new SyntheticScoredView(rows);
        if (cached)
        {
            view = ml.Data.Cache(view);
            MinerQuickMeasure.BarePass(view);
        }

        var entries = new Entry[Math.Max(16, (int)Math.Min(rows, (long)(rows * fraction * 1.1) + 1024))];
        List<double> bare = [], floor = [];
        long passed = 0;
        for (var pass = 0; pass < passes; pass++)
        {
            var start = ThreadCpuTime.Milliseconds();
            MinerQuickMeasure.BarePass(view);
            var between = ThreadCpuTime.Milliseconds();
            (passed, var positives) = FloorPass(view, bar, entries);
            var end = ThreadCpuTime.Milliseconds();
            // The bare pass counts the positives; so must the floor, and the count is used so that it is not optimised away.
            if (positives <= 0 || positives >= rows) throw new InvalidOperationException($"{positives} positives in {rows} rows");
            if (pass < passes - Measured) continue;
            bare.Add(between - start);
            floor.Add(end - between);
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        var (b, f) = (Median(bare), Median(floor));
        Console.WriteLine($"# miner floor: {Environment.ProcessorCount} cores, .NET {Environment.Version}, source {(cached ? "ML.NET cache" : "generated view")}, bars passing {fraction:P2} of each class ({passed:N0} entries), thread CPU, medians of the last {Measured} of {passes} alternating passes");
        Console.WriteLine("| rows | bare cursor pass (ms) | floor pass (ms) | floor / bare | entries |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {rows:N0} | {b:F1} | {f:F1} | {f / b:F2}x | {passed:N0} |"));
        return 0;
    }

    // The bare pass's loop, plus one test per row: the hardness (the score, its sign flipped for a positive) against its
    // class's bar, written so that a NaN passes too (an exact miner must count it). No branch on the label.
    private static (int Entries, long Positives) FloorPass(IDataView view, float bar, Entry[] entries)
    {
        using var cursor = view.GetRowCursor(view.Schema);
        var labelOf = cursor.GetGetter<bool>(view.Schema["Label"]);
        var scoreOf = cursor.GetGetter<float>(view.Schema["Score"]);
        var idOf = cursor.GetIdGetter();
        var bars = new Bars { Negative = bar, Positive = bar };
        bool label = false;
        float score = 0;
        long position = -1, positives = 0;
        var count = 0;
        while (cursor.MoveNext())
        {
            position++;
            labelOf(ref label);
            scoreOf(ref score);
            var labelBit = label ? 1 : 0;
            positives += labelBit;
            var hardness = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(score) ^ (labelBit << 31));
            if (!(hardness <= Unsafe.Add(ref bars.Negative, labelBit)))
            {
                ref var entry = ref entries[count++];
                entry.Position = position;
                entry.Hardness = hardness;
                entry.ClassIndex = labelBit;
                idOf(ref entry.RowId);
            }
        }
        return (count, positives);
    }

    private struct Bars
    {
        public float Negative, Positive;
    }

    private struct Entry
    {
        public long Position;
        public float Hardness;
        public int ClassIndex;
        public DataViewRowId RowId;
    }
}
