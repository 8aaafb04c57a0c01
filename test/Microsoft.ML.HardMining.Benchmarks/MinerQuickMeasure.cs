using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// <c>miner</c>: the mining pass against a bare cursor pass over the same columns, the memory kept for 10,000 of N rows,
/// and the streaming selection against the brute-force "materialise, sort, take". Ratios are measured in one run,
/// interleaved, median of the repetitions.
/// </summary>
public static class MinerQuickMeasure
{
    public static int Run(string[] args)
    {
        var sizes = args.Length > 0 ? args[0].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [1_000_000, 10_000_000];
        var repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        // "--mining-only" leaves out the brute-force baseline, e.g. to profile the mining pass alone.
        var withBruteForce = !args.Contains("--mining-only");
        // "--cached" mines ML.NET's own in-memory cache of the rows (mlContext.Data.Cache, filled before timing) instead of
        // the generated view: the cost of reading rows from a real ML.NET source.
        var cached = args.Contains("--cached");
        // "--keep N" keeps N rows (90% negatives, 10% positives, a quarter of each drawn at random) instead of 10,000: the pass
        // costs a fixed amount per row plus an amount per row that enters a heap, about k (1 + ln(n / k)) for a budget k.
        // "--read-report" reads the report's loss histograms inside the timed pass: their samples' losses are computed on the
        // first read (HistogramSampler), which a pass whose report nobody reads never pays.
        var readReport = args.Contains("--read-report");
        // "--steady [N]" first runs both passes N (default 40) more times on the measured view itself, as a long-running
        // process does; without it the passes run the code of a process that has mined a few times, as a training job does.
        // After 40 calls the bare loop runs tier-1 code with the cursor's getters inlined by profile-guided optimisation, and
        // the miner's loop runs on-stack-replaced code compiled with the profile (its caller is still being instrumented);
        // from about 60 calls on, the bare pass over ML.NET's cache gets ~6% faster again, so "--steady 120" reads the
        // longest-running state.
        var steadyAt = Array.IndexOf(args, "--steady");
        var steady = steadyAt >= 0;
        var steadyCalls = steady && steadyAt + 1 < args.Length && int.TryParse(args[steadyAt + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var calls) ? calls : 40;
        var keepAt = Array.IndexOf(args, "--keep");
        var keep = keepAt >= 0 && keepAt + 1 < args.Length ? int.Parse(args[keepAt + 1], CultureInfo.InvariantCulture) : 10_000;
        var ml = new MLContext(seed: 1);
        Console.WriteLine($"# miner quick measure: {Environment.ProcessorCount} cores, .NET {Environment.Version}, repetitions {repetitions}, source {(cached ? "ML.NET cache" : "generated view")}, keeping {keep:N0} rows{(readReport ? ", report read" : "")}{(steady ? $", steady state after {steadyCalls} calls" : "")}");
        Console.WriteLine("| rows | bare cursor pass (ms) | mining pass (ms) | mining / bare | bare, thread CPU (ms) | mining, thread CPU (ms) | mining / bare, CPU | brute-force sort (ms) | brute / mining | extra allocated by mining (MB) | peak working set growth (MB) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        // Over 2^18 rows, like the measured views: the scan loop is compiled per sampling regime (HardExampleMiner.Scan.SpeedOpt.cs).
        IDataView WarmUpView() => cached ? ml.Data.Cache(new SyntheticScoredView(300_000)) : new SyntheticScoredView(300_000);
        foreach (var rows in sizes)
        {
            var options = OptionsKeeping(keep);
            // Warm-up: a few calls, as in a process that has mined a few times (both loops then run on-stack-replaced code;
            // "--steady" goes on to a long-running process's code), on the same kind of view as the measured one. The JIT
            // specialises each loop for the cursor it saw while compiling it; a warm-up on the generated view left the miner's
            // loop specialised for it while the bare pass, first run on the cache, was specialised for the cache.
            for (var w = 0; w < 5; w++)
            {
                HardExampleMiner.Mine(ml, WarmUpView(), options);
                BarePass(WarmUpView());
            }
            var view = SyntheticSource(ml, rows, cached);
            for (var w = 0; steady && w < steadyCalls; w++)
            {
                BarePass(view);
                HardExampleMiner.Mine(ml, view, options);
            }

            var bare = new List<double>();
            var mining = new List<double>();
            var bareCpu = new List<double>();
            var miningCpu = new List<double>();
            var brute = new List<double>();
            long allocated = 0;
            long peakGrowth = 0;
            for (var r = 0; r < repetitions; r++)
            {
                bare.Add(Time(() => BarePass(view), out var bareThreadCpu));
                bareCpu.Add(bareThreadCpu);

                GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
                using var process = Process.GetCurrentProcess();
                process.Refresh();
                var workingBefore = process.WorkingSet64;
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                MiningResult? result = null;
                mining.Add(Time(() =>
                {
                    result = HardExampleMiner.Mine(ml, view, options);
                    if (readReport && result.Report.Classes.Sum(c => c.Losses.Count) == 0) throw new InvalidOperationException("no histogram samples");
                }, out var miningThreadCpu));
                miningCpu.Add(miningThreadCpu);
                allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                process.Refresh();
                peakGrowth = Math.Max(0, process.PeakWorkingSet64 - workingBefore);
                if (result!.SelectedPositions.Count != keep) throw new InvalidOperationException($"expected {keep} selected rows");

                brute.Add(withBruteForce ? Time(() => BruteForce(view, HardNegatives(keep))) : double.NaN);
            }
            var (b, m, s) = (Median(bare), Median(mining), Median(brute));
            var (bc, mc) = (Median(bareCpu), Median(miningCpu));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {rows:N0} | {b:F0} | {m:F0} | {m / b:F2}x | {bc:F0} | {mc:F0} | {mc / bc:F2}x | {s:F0} | {s / m:F1}x | {allocated / 1e6:F1} | {peakGrowth / 1e6:F1} |"));
        }
        Console.WriteLine("Peak working set growth is the process peak after the mining pass minus the working set before it (the first repetition sets the peak).");
        return 0;
    }

    /// <summary>The measured options: <paramref name="keep"/> rows kept, 90% negatives and 10% positives, a quarter of each
    /// drawn at random.</summary>
    internal static HardExampleMiningOptions OptionsKeeping(int keep) =>
        new() { Negatives = MiningBudget.Count(keep - keep / 10), Positives = MiningBudget.Count(keep / 10), RandomShare = 0.25 };

    /// <summary>The hard part of <see cref="OptionsKeeping"/>'s negatives: three quarters of their budget.</summary>
    internal static int HardNegatives(int keep) => 3 * (keep - keep / 10) / 4;

    /// <summary>The hard part of <see cref="OptionsKeeping"/>'s positives.</summary>
    internal static int HardPositives(int keep) => 3 * (keep / 10) / 4;

    /// <summary>The measured view: <see cref="SyntheticScoredView"/>, or ML.NET's cache of it, filled before it is measured.</summary>
    internal static IDataView SyntheticSource(MLContext ml, long rows, bool cached, bool asProbability = false)
    {
        IDataView view = new SyntheticScoredView(rows, asProbability);
        if (!cached) return view;
        view = ml.Data.Cache(view);
        BarePass(view);
        return view;
    }

    /// <summary>The median (the upper one of an even count) of measured times.</summary>
    internal static double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);

    private static double Time(Action action) => Time(action, out _);

    // Wall clock, and the calling thread's own CPU time: on a shared machine other processes stretch the first, not the second.
    private static double Time(Action action, out double threadCpuMilliseconds)
    {
        var cpuBefore = ThreadCpuTime.Milliseconds();
        var watch = Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed.TotalMilliseconds;
        threadCpuMilliseconds = ThreadCpuTime.Milliseconds() - cpuBefore;
        return wall;
    }

    /// <summary>What any consumer of the view pays: a cursor reading label and score.</summary>
    /// <remarks>
    /// It does the least a consumer can do with both values, without a branch: it folds the score's bits together and counts
    /// the positives. Until session 6 it summed the negatives' scores (<c>if (!label) sum += score</c>): that branch
    /// mispredicted on about one row in ten, and the on-stack-replaced loop kept the sum in memory, so each row waited for the
    /// last one's addition. That pass was 9–39% slower than this one (a harness alternating the two over 1M and 10M rows),
    /// and every ratio measured against it was flattered by as much.
    /// </remarks>
    internal static long BarePass(IDataView view)
    {
        // Only the two columns: over a scored view, asking for all of them would also compute the probability and the
        // predicted label, which the miner does not read.
        using var cursor = view.GetRowCursor([view.Schema["Label"], view.Schema["Score"]]);
        var label = cursor.GetGetter<bool>(view.Schema["Label"]);
        var score = cursor.GetGetter<float>(view.Schema["Score"]);
        bool l = false; float s = 0; int scoreBits = 0; long positives = 0;
        while (cursor.MoveNext()) { label(ref l); score(ref s); scoreBits ^= BitConverter.SingleToInt32Bits(s); positives += l ? 1 : 0; }
        return scoreBits + positives;
    }

    /// <summary>The plain way: materialise every negative's loss with its position, sort, take the top k.</summary>
    private static long BruteForce(IDataView view, int k)
    {
        var losses = new List<(double Loss, long Position)>();
        using (var cursor = view.GetRowCursor(view.Schema))
        {
            var label = cursor.GetGetter<bool>(view.Schema["Label"]);
            var score = cursor.GetGetter<float>(view.Schema["Score"]);
            bool l = false; float s = 0;
            while (cursor.MoveNext())
            {
                label(ref l); score(ref s);
                if (!l) losses.Add((ExampleLosses.LogLossFromScore(false, s), cursor.Position));
            }
        }
        losses.Sort((a, b) => b.Loss != a.Loss ? b.Loss.CompareTo(a.Loss) : a.Position.CompareTo(b.Position));
        return losses.Take(k).Sum(x => x.Position);
    }
}
