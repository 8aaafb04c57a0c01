using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// <c>miner-floor ROWS PASSES [--cached] [--pass-fraction F | --lean-top-k KEEP]</c>: the least an exact streaming miner must add to a bare
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
/// less than a real selection: no bar ever moves. <c>--lean-top-k KEEP</c> instead keeps the hard part of <c>miner</c>'s
/// budget for KEEP rows (three quarters of each class's budget) in one plain buffer per class (<see cref="LeanTopK"/>), whose
/// bar rises as the real miner's does: the cost of an exact top-k with the leanest entries, still without a random share.
/// </remarks>
public static class MinerFloorMeasure
{
    private const int Measured = 15;

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: miner-floor ROWS PASSES [--cached] [--pass-fraction F | --lean-top-k KEEP]");
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
        var leanAt = Array.IndexOf(args, "--lean-top-k");
        var leanKeep = leanAt >= 0 ? int.Parse(args[leanAt + 1], CultureInfo.InvariantCulture) : 0;
        LeanTopK[]? lean = leanKeep > 0 ? [new(MinerQuickMeasure.HardNegatives(leanKeep)), new(MinerQuickMeasure.HardPositives(leanKeep))] : null;
        var view = MinerQuickMeasure.SyntheticSource(new MLContext(seed: 1), rows, cached);

        var entries = new FloorEntry[Math.Max(16, (int)Math.Min(rows, (long)(rows * fraction * 1.1) + 1024))];
        List<double> bare = [], floor = [];
        long passed = 0;
        for (var pass = 0; pass < passes; pass++)
        {
            var start = ThreadCpuTime.Milliseconds();
            MinerQuickMeasure.BarePass(view);
            var between = ThreadCpuTime.Milliseconds();
            (passed, var positives) = lean is null ? FloorPass(view, bar, entries) : LeanTopKPass(view, lean);
            var end = ThreadCpuTime.Milliseconds();
            // Outside the timed span: with PASSES at 15 the first pass is measured too.
            if (pass == 0 && lean is not null) CheckAgainstSort(view, lean);
            // The bare pass counts the positives; so must the floor, and the count is used so that it is not optimised away.
            if (positives <= 0 || positives >= rows) throw new InvalidOperationException($"{positives} positives in {rows} rows");
            if (pass < passes - Measured) continue;
            bare.Add(between - start);
            floor.Add(end - between);
        }
        var (b, f) = (MinerQuickMeasure.Median(bare), MinerQuickMeasure.Median(floor));
        Console.WriteLine($"# miner floor: {Environment.ProcessorCount} cores, .NET {Environment.Version}, source {(cached ? "ML.NET cache" : "generated view")}, {(lean is null ? $"bars passing {fraction:P2} of each class" : $"lean exact top-k of {lean[0].Capacity:N0} + {lean[1].Capacity:N0}")} ({passed:N0} entries), thread CPU, medians of the last {Measured} of {passes} alternating passes");
        Console.WriteLine("| rows | bare cursor pass (ms) | floor pass (ms) | floor / bare | entries |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {rows:N0} | {b:F1} | {f:F1} | {f / b:F2}x | {passed:N0} |"));
        return 0;
    }

    // The bare pass's loop, plus one test per row: the hardness (the score, its sign flipped for a positive) against its
    // class's bar, written so that a NaN passes too (an exact miner must count it). No branch on the label.
    private static (int Entries, long Positives) FloorPass(IDataView view, float bar, FloorEntry[] entries)
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

    // FloorPass with moving bars: each class's lean buffer sets its bar, and a row that passes goes to the buffer.
    private static (int Entries, long Positives) LeanTopKPass(IDataView view, LeanTopK[] buffers)
    {
        using var cursor = view.GetRowCursor(view.Schema);
        var labelOf = cursor.GetGetter<bool>(view.Schema["Label"]);
        var scoreOf = cursor.GetGetter<float>(view.Schema["Score"]);
        var idOf = cursor.GetIdGetter();
        foreach (var buffer in buffers) buffer.Clear();
        var bars = new Bars { Negative = buffers[0].Bar, Positive = buffers[1].Bar };
        bool label = false;
        float score = 0;
        long position = -1, positives = 0;
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
                buffers[labelBit].Add(position, hardness, idOf);
                (bars.Negative, bars.Positive) = (buffers[0].Bar, buffers[1].Bar);
            }
        }
        var entries = 0;
        foreach (var buffer in buffers)
        {
            entries += buffer.Entries;
            if (buffer.KeepFirst() != buffer.Capacity) throw new InvalidOperationException("the lean buffer kept too few rows");
        }
        return (entries, positives);
    }

    // The lean buffers must keep exactly what sorting every row of each class keeps, or their cost says nothing.
    private static void CheckAgainstSort(IDataView view, LeanTopK[] buffers)
    {
        List<(float Hardness, long Position)>[] classes = [[], []];
        using (var cursor = view.GetRowCursor(view.Schema))
        {
            var labelOf = cursor.GetGetter<bool>(view.Schema["Label"]);
            var scoreOf = cursor.GetGetter<float>(view.Schema["Score"]);
            bool label = false;
            float score = 0;
            for (long position = 0; cursor.MoveNext(); position++)
            {
                labelOf(ref label);
                scoreOf(ref score);
                classes[label ? 1 : 0].Add((label ? -score : score, position));
            }
        }
        for (var c = 0; c < 2; c++)
        {
            var expected = classes[c].OrderByDescending(row => row.Hardness).ThenBy(row => row.Position).Take(buffers[c].Capacity)
                .Select(row => row.Position).Order();
            if (!expected.SequenceEqual(buffers[c].KeptPositions().Order()))
                throw new InvalidOperationException($"the lean buffer of class {c} kept other rows than a sort");
        }
    }

    private struct Bars
    {
        public float Negative, Positive;
    }
}
