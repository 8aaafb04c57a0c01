using System.Diagnostics;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

public static partial class HardExampleMiner
{
    private static ScanResult Scan(IDataView scored, LossReader reader, HardExampleMiningOptions options, SelectionPlan plan, int pass, int passCount, bool useGates) =>
        (useGates ? ScanWithGates(scored, reader, options, plan, pass, passCount) : null) ?? ScanEveryRow(scored, reader, options, plan, pass, passCount);

    private sealed class ScanResult(HardExampleSelector selector)
    {
        public HardExampleSelector Selector { get; } = selector;
        public long Rows;
        public long InvalidScores;
        public long MissingLabels;
        public TimeSpan ReadTime;
        public TimeSpan SelectTime;
    }

    // The plain scan: every row through Admit. ScanWithGates (Scan.SpeedOpt.cs) is its fast path for the common case.
    private static ScanResult ScanEveryRow(IDataView scored, LossReader reader, HardExampleMiningOptions options, SelectionPlan plan, int pass, int passCount)
    {
        var result = new ScanResult(new HardExampleSelector(plan));
        var totalRows = scored.GetRowCount();
        var total = Stopwatch.StartNew();
        long sampledSelectTicks = 0, sampledRows = 0;
        using (var cursor = scored.GetRowCursor(reader.NeededColumns))
        {
            var row = reader.Bind(cursor);
            var id = cursor.GetIdGetter();
            var candidate = new MiningCandidate { GroupIndex = -1 };
            while (cursor.MoveNext())
            {
                var position = result.Rows++;
                var status = row.Read(out var classIndex, out var hardness);
                if (status == LossReader.Status.MissingLabel) { result.MissingLabels++; continue; }
                if (status == LossReader.Status.InvalidScore)
                {
                    if (options.InvalidScores == InvalidScorePolicy.Throw) throw InvalidScore(position, reader);
                    result.InvalidScores++;
                    continue;
                }
                candidate.Position = position;
                candidate.Hardness = hardness;
                candidate.ClassIndex = classIndex;
                candidate.RowId = default;
                // Timing every row would cost as much as the work; every 64th row gives the split (row 0 would add JIT time).
                if ((position & 63) == 63)
                {
                    var start = Stopwatch.GetTimestamp();
                    if (result.Selector.Admit(ref candidate)) Keep(result.Selector, ref candidate, id, row);
                    sampledSelectTicks += Math.Max(0, Stopwatch.GetTimestamp() - start - ClockReadTicks);
                    sampledRows++;
                }
                else if (result.Selector.Admit(ref candidate)) Keep(result.Selector, ref candidate, id, row);

                if (options.Progress is not null && (position + 1) % ProgressEvery == 0)
                    options.Progress.Report(new MiningProgress(pass, passCount, position + 1, totalRows));
            }
        }
        total.Stop();
        result.Selector.EndOfRows(result.Rows);
        options.Progress?.Report(new MiningProgress(pass, passCount, result.Rows, totalRows));
        var added = result.Selector.RowsAdded;
        var selectTicks = sampledRows == 0 ? 0 : sampledSelectTicks * (double)added / sampledRows;
        result.SelectTime = TimeSpan.FromSeconds(selectTicks / Stopwatch.Frequency);
        if (result.SelectTime > total.Elapsed) result.SelectTime = total.Elapsed;
        result.ReadTime = total.Elapsed - result.SelectTime;
        return result;
    }

    // What reading the clock costs, measured once. A sampled row's time includes one read, which on a virtual machine
    // (~35 ns) outweighed the selector's own work: scaled by 64 the estimate outgrew the pass, and the report's reading
    // time came out 0.
    private static readonly long ClockReadTicks = MeasureClockRead();

    private static long MeasureClockRead()
    {
        var least = long.MaxValue;
        for (var i = 0; i < 64; i++)
        {
            var first = Stopwatch.GetTimestamp();
            least = Math.Min(least, Stopwatch.GetTimestamp() - first);
        }
        return least;
    }

    private static InvalidOperationException InvalidScore(long position, LossReader reader) => new(
        $"Row {position} has a NaN or infinite score or loss, or a probability outside [0, 1] (columns: {string.Join(", ", reader.NeededColumns.Skip(1).Select(c => $"'{c.Name}'"))}). " +
        "Fix the model or features, or set HardExampleMiningOptions.InvalidScores = InvalidScorePolicy.Skip to leave such rows out and count them.");

    // Only rows the selector may keep pay for reading their id, box and group.
    private static void Keep(HardExampleSelector selector, ref MiningCandidate candidate, ValueGetter<DataViewRowId> id, LossReader.RowReader row)
    {
        id(ref candidate.RowId);
        row.ReadBox(ref candidate);
        selector.Store(candidate, row.Group());
    }
}
