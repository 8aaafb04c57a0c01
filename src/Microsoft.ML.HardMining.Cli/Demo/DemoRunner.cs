using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Evaluation;

namespace Microsoft.ML.HardMining.Cli.Demo;

/// <summary>One line of the demo's table, with what its plots need.</summary>
public sealed record DemoResult(string Method, long TrainRows, double FprAtRecall95, double PrecisionAtRecall95, double Auprc, TimeSpan TrainTime)
{
    /// <summary>The test-set curve of the method's model.</summary>
    public BinaryScoreCurve? Curve { get; init; }

    /// <summary>The miner's selection, for the method that used the transform.</summary>
    public MiningResult? Mining { get; init; }

    /// <summary>The rounds of the offline trainer, for the method that used it.</summary>
    public Trainers.HardMiningHistory? History { get; init; }
}

/// <summary>
/// The README's main job: on a real task, the same trainer on (1) all the data, (2) all positives + a random share of the negatives,
/// (3) all positives + the hardest negatives under the same budget, mined by a first model trained on (2) — one round of
/// bootstrapping through <c>mlContext.Transforms.HardExampleMining</c> — and (4) the offline mining trainer with its defaults.
/// </summary>
public sealed class DemoRunner(MLContext ml, DemoDataset data, string trainerName, double budget, int seed, IProgress<string>? progress = null)
{
    /// <summary>Runs the four methods and returns one result per method.</summary>
    public IReadOnlyList<DemoResult> Run()
    {
        var results = new List<DemoResult>();
        progress?.Report("full data");
        results.Add(Measure("full data", data.Train, () => Trainer().Fit(data.Train)));

        progress?.Report($"random {budget:P0} of negatives");
        var randomView = RandomNegatives();
        ITransformer? randomModel = null;
        results.Add(Measure($"random {budget:P0} negatives", randomView, () => randomModel = Trainer().Fit(randomView)));

        progress?.Report($"hardest {budget:P0} of negatives (one round, HardExampleMining transform)");
        var miner = ml.Transforms.HardExampleMining(new HardExampleMiningOptions { Scorer = randomModel, Negatives = MiningBudget.Fraction(budget), Seed = seed });
        MiningResult? mining = null;
        results.Add(Measure($"mined {budget:P0} negatives (transform)", null, () =>
        {
            var model = miner.Append(Trainer()).Fit(data.Train);
            mining = ((HardExampleMiningTransformer)model.First()).Result;
            return model;
        }, () => mining!.Report.Selected) with { Mining = mining });

        progress?.Report($"offline mining trainer ({budget:P0} cache, validation-guarded)");
        long cacheRows = 0;
        Trainers.HardMiningHistory? history = null;
        results.Add(Measure($"mined {budget:P0} negatives (offline rounds)", null, () =>
        {
            // A factory: SDCA tunes its regularisation on its first training set, so every round gets a fresh trainer.
            var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(Trainer, new Trainers.HardNegativeMiningOptions { NegativeFraction = budget });
            var model = trainer.Fit(data.Train);
            history = trainer.History;
            cacheRows = history?.Rounds.LastOrDefault()?.TrainingRows ?? 0;
            return model;
        }, () => cacheRows) with { History = history });
        return results;
    }

    private IDataView RandomNegatives()
    {
        var labels = data.Train.GetColumn<bool>("Label").ToArray();
        var random = new Random(seed);
        var negatives = Enumerable.Range(0, labels.Length).Where(i => !labels[i]).OrderBy(_ => random.Next()).Take((int)Math.Round(budget * data.TrainNegatives)).ToHashSet();
        var positions = Enumerable.Range(0, labels.Length).Where(i => labels[i] || negatives.Contains(i)).Select(i => (long)i).ToArray();
        return ml.Data.Cache(new Data.RowSubsetDataView(data.Train, positions));
    }

    private IEstimator<ITransformer> Trainer() => trainerName switch
    {
        "fasttree" => ml.BinaryClassification.Trainers.FastTree(),
        "lightgbm" => ml.BinaryClassification.Trainers.LightGbm(),
        "sdca" => ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()),
        _ => throw new ArgumentException($"Unknown trainer '{trainerName}': use fasttree, lightgbm or sdca.", nameof(trainerName)),
    };

    private DemoResult Measure(string method, IDataView? trainView, Func<ITransformer> fit, Func<long>? rows = null)
    {
        var watch = Stopwatch.StartNew();
        var model = fit();
        watch.Stop();
        var curve = BinaryScoreCurve.Create(model.Transform(data.Test));
        var trainRows = rows?.Invoke() ?? trainView?.GetRowCount() ?? 0;
        return new DemoResult(method, trainRows, curve.FalsePositiveRateAtRecall(0.95), curve.PrecisionAtRecall(0.95), curve.AreaUnderPrecisionRecallCurve, watch.Elapsed)
        {
            Curve = curve,
        };
    }
}
