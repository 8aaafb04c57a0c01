using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// <c>miner-long ROWS KEEP PASSES [--cached | --scored-by-model] [--default-budget] [--probability | --loss-column]</c>: the state of a process that has mined many times. Alternates a bare pass
/// (<see cref="MinerQuickMeasure.BarePass"/>) and a mining pass over the same view PASSES times, with no other warm-up, and
/// prints the medians of the last 15 pairs (wall clock and thread CPU) as a row of <c>miner</c>'s table, so that
/// <c>BENCH_COMMAND=miner-long scripts/bench-ab.sh</c> compares two commits with it.
/// </summary>
/// <remarks>
/// <para>Unlike <c>miner --steady N</c>, nothing runs on another view first: every compilation of both loops sees only the
/// measured view, and the last passes run whatever tier the JIT settles on after PASSES calls.</para>
/// <para><c>--scored-by-model</c> measures both passes over a real pipeline instead of a precomputed score: ML.NET's SDCA
/// logistic regression, trained on 20,000 rows of <see cref="SyntheticFeatureView"/>, scoring its 16 features held in
/// ML.NET's cache. Both passes then pay for the model's scoring of every row, as any consumer of a scored view does.</para>
/// <para><c>--default-budget</c> mines with the options' defaults instead of keeping KEEP rows (KEEP is then ignored): 20% of
/// the negatives, every positive, a quarter of each drawn at random. It is what a user who sets no budget runs, and it keeps
/// about 28% of the benchmark's rows.</para>
/// <para><c>--probability</c> mines a probability of the positive class (the score's sigmoid, in the same column, which both
/// passes read) under log-loss, as a user who sets <c>ProbabilityColumnName</c> does. <c>--loss-column</c> mines the score
/// column as a precomputed loss (<c>MiningLossKind.Column</c>): the larger value is the harder row, for either class.</para>
/// </remarks>
public static class MinerLongRunMeasure
{
    private const int Measured = 15;

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: miner-long ROWS KEEP PASSES [--cached | --scored-by-model] [--default-budget] [--probability | --loss-column]");
            return 2;
        }
        var rows = long.Parse(args[0], CultureInfo.InvariantCulture);
        var keep = int.Parse(args[1], CultureInfo.InvariantCulture);
        var passes = Math.Max(Measured, int.Parse(args[2], CultureInfo.InvariantCulture));
        var cached = args.Contains("--cached");
        var scoredByModel = args.Contains("--scored-by-model");
        var ml = new MLContext(seed: 1);
        var defaultBudget = args.Contains("--default-budget");
        var options = defaultBudget ? new HardExampleMiningOptions() : MinerQuickMeasure.OptionsKeeping(keep);
        var asProbability = args.Contains("--probability");
        if (asProbability) options.ProbabilityColumnName = "Score";
        var asLoss = args.Contains("--loss-column");
        if (asLoss) (options.Loss, options.LossColumnName) = (MiningLossKind.Column, "Score");
        // One source or the other: a cache of precomputed scores filled only to be replaced cost a full pass and its memory.
        var (view, heldOutAuc) = scoredByModel ? ScoredByModel(ml, rows) : (MinerQuickMeasure.SyntheticSource(ml, rows, cached, asProbability), double.NaN);

        List<double> bare = [], mining = [], bareCpu = [], miningCpu = [];
        var kept = 0;
        for (var pass = 0; pass < passes; pass++)
        {
            var watch = Stopwatch.StartNew();
            var start = ThreadCpuTime.Milliseconds();
            MinerQuickMeasure.BarePass(view);
            var between = ThreadCpuTime.Milliseconds();
            var bareWall = watch.Elapsed.TotalMilliseconds;
            var result = HardExampleMiner.Mine(ml, view, options);
            var end = ThreadCpuTime.Milliseconds();
            var miningWall = watch.Elapsed.TotalMilliseconds - bareWall;
            if (!defaultBudget && result.SelectedPositions.Count != keep) throw new InvalidOperationException($"expected {keep} selected rows");
            kept = result.SelectedPositions.Count;
            if (pass < passes - Measured) continue;
            bare.Add(bareWall);
            mining.Add(miningWall);
            bareCpu.Add(between - start);
            miningCpu.Add(end - between);
        }
        var (b, m, bc, mc) = (MinerQuickMeasure.Median(bare), MinerQuickMeasure.Median(mining), MinerQuickMeasure.Median(bareCpu),
            MinerQuickMeasure.Median(miningCpu));
        var source = scoredByModel ? $"SDCA logistic regression over 16 cached features (AUC {heldOutAuc:F3} on 20,000 held-out rows)"
            : (cached ? "ML.NET cache" : "generated view") + (asProbability ? " of probabilities" : "") + (asLoss ? ", its score mined as a loss" : "");
        Console.WriteLine($"# miner long run: {Environment.ProcessorCount} cores, .NET {Environment.Version}, source {source}, keeping {kept:N0} rows{(defaultBudget ? " (the default budget)" : "")}, medians of the last {Measured} of {passes} alternating passes");
        Console.WriteLine("| rows | bare cursor pass (ms) | mining pass (ms) | mining / bare | bare, thread CPU (ms) | mining, thread CPU (ms) | mining / bare, CPU |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {rows:N0} | {b:F1} | {m:F1} | {m / b:F2}x | {bc:F1} | {mc:F1} | {mc / bc:F2}x |"));
        return 0;
    }

    private static (IDataView Scored, double HeldOutAuc) ScoredByModel(MLContext ml, long rows)
    {
        var trainer = ml.BinaryClassification.Trainers.SdcaLogisticRegression(labelColumnName: "Label", featureColumnName: "Features");
        var model = trainer.Fit(ml.Data.Cache(new SyntheticFeatureView(20_000)));
        var heldOut = ml.Data.SkipRows(new SyntheticFeatureView(40_000), 20_000);
        var auc = ml.BinaryClassification.Evaluate(model.Transform(heldOut), labelColumnName: "Label").AreaUnderRocCurve;
        var scored = model.Transform(ml.Data.Cache(new SyntheticFeatureView(rows)));
        // Fills the cache, so that the measured passes read the features from memory.
        MinerQuickMeasure.BarePass(scored);
        return (scored, auc);
    }
}
