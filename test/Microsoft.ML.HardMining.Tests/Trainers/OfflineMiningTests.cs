using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Trainers;

namespace Microsoft.ML.HardMining.Tests.Trainers;

[TestClass]
public sealed class OfflineMiningTests
{
    /// <summary>20 positives (X = 5) and 200 negatives whose score X = id/10 rises with the id: the hardest negatives are the highest ids.</summary>
    private static (MLContext, IDataView, XRow[]) Data()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 220).Select(i => i < 200
            ? new XRow { Id = i, Label = false, X = i / 10f - 10 }
            : new XRow { Id = i, Label = true, X = 5 }).ToArray();
        return (ml, ml.Data.LoadFromEnumerable(rows), rows);
    }

    private static HardNegativeMiningOptions NoGuard() => new()
    {
        Validation = new ValidationGuardOptions { Enabled = false },
        NegativeFraction = 0.2,      // cache of 40 negatives
        RandomShare = 0.25,          // 10 random, kept
        MaxRounds = 3,               // 10 hardest added per round
        NoiseGuardFraction = 0.01,   // the 2 hardest negatives are never added
    };

    [TestMethod]
    public void RoundsStartRandomThenAddTheHardestOutsideTheCacheSkippingTheNoiseGuard()
    {
        var (ml, data, _) = Data();
        var inner = new RecordingTrainer(ml);
        var options = NoGuard();
        options.OverlapThreshold = 2; // off: the fixed scorer repeats the same hard set
        options.ObjectiveTolerance = 0;
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(inner, options);
        trainer.Fit(data);

        Assert.HasCount(4, inner.Calls);
        var start = inner.Calls[0];
        CollectionAssert.IsSubsetOf(Enumerable.Range(200, 20).ToArray(), start, "all positives in every round");
        var randomStart = start.Where(i => i < 200).ToArray();
        Assert.HasCount(10, randomStart);

        // Reference: the hardest negatives by X, skipping the 2 highest (noise guard) and those already cached.
        var cache = new HashSet<int>(randomStart);
        for (int round = 1; round <= 3; round++)
        {
            var expectedAdd = Enumerable.Range(0, 198).Reverse().Where(i => !cache.Contains(i)).Take(10).ToList();
            foreach (var i in expectedAdd) cache.Add(i);
            CollectionAssert.AreEquivalent(cache.Concat(Enumerable.Range(200, 20)).ToArray(), inner.Calls[round], $"round {round}");
        }
        Assert.IsFalse(inner.Calls[3].Contains(199) || inner.Calls[3].Contains(198), "noise guard keeps the two hardest out");

        var h = trainer.History!;
        Assert.AreEqual(MiningStopReason.RoundLimit, h.StopReason);
        Assert.HasCount(4, h.Rounds);
        Assert.AreEqual(10, h.Rounds[0].NewHardExamples);
        CollectionAssert.AreEqual(new long[] { 10, 20 }, h.Rounds[0].TrainingRowsPerClass.ToArray());
        CollectionAssert.AreEqual(new long[] { 40, 20 }, h.Rounds[3].TrainingRowsPerClass.ToArray());
    }

    [TestMethod]
    public void FullCacheEvictsTheEasiestHardRowsButKeepsTheRandomShare()
    {
        var (ml, data, _) = Data();
        var inner = new RecordingTrainer(ml);
        var options = NoGuard();
        options.OverlapThreshold = 2;
        options.ObjectiveTolerance = 0;
        options.MaxCacheRows = 20;       // 5 random + 15 hard
        options.ExamplesPerRound = 10;   // two rounds overflow the cache
        options.MaxRounds = 3;
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(inner, options);
        trainer.Fit(data);

        var randomStart = inner.Calls[0].Where(i => i < 200).ToHashSet();
        Assert.HasCount(5, randomStart);
        Assert.AreEqual(15, inner.Calls[1].Count(i => i < 200));
        foreach (var call in inner.Calls.Skip(2))
        {
            Assert.AreEqual(20, call.Count(i => i < 200), "a full cache stays at its row limit");
            Assert.IsTrue(randomStart.All(call.Contains), "the random share is never evicted");
        }
        // Each round adds the 10 hardest not cached; overflow evicts the easiest hard rows: with a fixed scorer the cache
        // keeps the 15 hardest reachable negatives, whatever is added later.
        var final = inner.Calls[^1].Where(i => i < 200 && !randomStart.Contains(i)).Order().ToArray();
        var reachable = Enumerable.Range(0, 198).Reverse().Where(i => !randomStart.Contains(i)).Take(15).Order().ToArray();
        CollectionAssert.AreEqual(reachable, final);
        Assert.AreEqual(0, trainer.History!.Rounds[0].Evicted);
        Assert.AreEqual(5, trainer.History.Rounds[1].Evicted);
        Assert.AreEqual(10, trainer.History.Rounds[2].Evicted);
    }

    [TestMethod]
    public void StopsWhenTheHardSetRepeats()
    {
        var (ml, data, _) = Data();
        var inner = new RecordingTrainer(ml);
        var options = NoGuard();
        options.ObjectiveTolerance = 0;
        options.MaxRounds = 10;
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(inner, options);
        trainer.Fit(data);
        // A fixed scorer ranks the pool the same way every round: round 2's hardest equal round 1's.
        Assert.AreEqual(MiningStopReason.HardSetConverged, trainer.History!.StopReason);
        Assert.AreEqual(1.0, trainer.History.Rounds[^1].HardSetOverlap!.Value, 1e-12);
        Assert.HasCount(2, inner.Calls);
    }

    [TestMethod]
    public void HingeStopsWhenNoNegativeViolatesTheMarginOrWhenTheCacheHoldsThePoolObjective()
    {
        // Margin violators: negatives with X > -1, i.e. ids 91..199 minus... X = id/10 - 10 > -1 <=> id > 90: 109 rows.
        // With X = id/10 - 20 for the negatives only ids > 190 violate (9 rows): one round adds them all.
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 220).Select(i => i < 200
            ? new XRow { Id = i, Label = false, X = i / 10f - 20 }
            : new XRow { Id = i, Label = true, X = 5 }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);

        var options = NoGuard();
        options.Loss = HardnessLoss.Hinge;
        options.NoiseGuardFraction = 0;
        options.OverlapThreshold = 2;
        options.ObjectiveTolerance = 0; // DPM rule off: the "no new hard" rule must fire
        var inner = new RecordingTrainer(ml);
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(inner, options);
        trainer.Fit(data);
        Assert.AreEqual(MiningStopReason.NoNewHardExamples, trainer.History!.StopReason);
        CollectionAssert.IsSubsetOf(Enumerable.Range(191, 9).ToArray(), inner.Calls[^1]);

        options.ObjectiveTolerance = 0.05; // DPM on: once the violators are cached the pool's hinge loss equals the cache's
        var inner2 = new RecordingTrainer(ml);
        var trainer2 = ml.BinaryClassification.Trainers.HardNegativeMining(inner2, options);
        trainer2.Fit(data);
        Assert.AreEqual(MiningStopReason.ObjectiveConverged, trainer2.History!.StopReason);
        var last = trainer2.History.Rounds[^1];
        Assert.IsLessThanOrEqualTo(1.05 * last.CacheObjective, last.PoolObjective);
    }

    [TestMethod]
    public void SameSeedSameRoundsAndProgressSeesEveryRound()
    {
        var (ml, data, _) = Data();
        var a = new RecordingTrainer(ml);
        var b = new RecordingTrainer(ml);
        var seen = new List<HardMiningRound>();
        var progress = new SyncProgress<HardMiningRound>(seen.Add);
        ml.BinaryClassification.Trainers.HardNegativeMining(a, NoGuard(), progress: progress).Fit(data);
        var t = ml.BinaryClassification.Trainers.HardNegativeMining(b, NoGuard());
        t.Fit(data);
        Assert.HasCount(a.Calls.Count, b.Calls);
        for (int i = 0; i < a.Calls.Count; i++) CollectionAssert.AreEqual(a.Calls[i], b.Calls[i]);
        Assert.HasCount(t.History!.Rounds.Count, seen);
    }
}

/// <summary>An IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

[TestClass]
public sealed class MiningLogTests
{
    [TestMethod]
    public void TheVerdictGoesToMlContextLog()
    {
        var ml = new MLContext(seed: 1);
        var lines = new List<string>();
        ml.Log += (_, e) => { lock (lines) lines.Add(e.Message); };
        var rows = Enumerable.Range(0, 220).Select(i => new XRow { Id = i, Label = i >= 200, X = i < 200 ? i / 10f - 10 : 5 }).ToArray();
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml),
            new HardNegativeMiningOptions { Validation = new ValidationGuardOptions { Enabled = false } });
        trainer.Fit(ml.Data.LoadFromEnumerable(rows));
        lock (lines) Assert.IsTrue(lines.Any(l => l.Contains(trainer.History!.Verdict, StringComparison.Ordinal)), string.Join("\n", lines.TakeLast(5)));
    }

    [TestMethod]
    public void LoggingDoesNotDrawFromTheContextsRandomStream()
    {
        // Two contexts with one seed train the same model, whether or not the library logged a line on one of them first:
        // registering a host for the line used to take a seed from the context, so every later trainer drew other numbers.
        var rows = Enumerable.Range(0, 400).Select(i => new XRow { Id = i, Label = i % 5 == 0, X = (i * 37 % 101) / 10f - 5 + (i % 5 == 0 ? 2 : 0) }).ToArray();
        float[] Scores(bool logFirst)
        {
            var ml = new MLContext(seed: 1);
            if (logFirst)
            {
                Diagnostics.MiningLog.Info(ml, "HardExampleMining", "a line");
                Diagnostics.MiningLog.Warning(ml, "HardMiningTrainer", "another line");
            }
            var data = ml.Data.LoadFromEnumerable(rows);
            var pipeline = ml.Transforms.Concatenate("Features", nameof(XRow.X)).Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression());
            return pipeline.Fit(data).Transform(data).GetColumn<float>("Score").ToArray();
        }
        CollectionAssert.AreEqual(Scores(logFirst: false), Scores(logFirst: true));
    }
}

[TestClass]
public sealed class InnerFactoryTests
{
    [TestMethod]
    public void EveryFitGetsAFreshInnerTrainer()
    {
        // SDCA stores the L2 it auto-tunes on its first fit; a factory keeps one round's tuning out of the next.
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 220).Select(i => new XRow { Id = i, Label = i >= 200, X = i < 200 ? i / 10f - 10 : 5 }).ToArray();
        var created = new List<RecordingTrainer>();
        var options = new HardNegativeMiningOptions
        {
            OverlapThreshold = 2, ObjectiveTolerance = 0,
            Validation = new ValidationGuardOptions { ValidationData = ml.Data.LoadFromEnumerable(rows), RefitWithHoldout = false },
        };
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(() => { var t = new RecordingTrainer(ml); created.Add(t); return t; }, options);
        trainer.Fit(ml.Data.LoadFromEnumerable(rows));
        int fits = trainer.History!.Rounds.Count + 1; // the rounds and the baseline
        Assert.AreEqual(fits, created.Count(t => t.Calls.Count > 0));
        Assert.IsTrue(created.All(t => t.Calls.Count <= 1), "no instance is fitted twice");
    }

    [TestMethod]
    public void TheMulticlassCatalogTakesAFactoryToo()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 600).Select(i => new ClassRow { Label = (uint)(i % 3), Features = [i % 3 + (i * 7 % 11) / 11f, (i * 5 % 13) / 13f] }).ToArray();
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var created = 0;
        var options = new MulticlassHardMiningOptions { MinRowsPerClass = 10, Validation = new ValidationGuardOptions { RefitWithHoldout = false } };
        var trainer = ml.MulticlassClassification.Trainers.HardExampleMining(() =>
        {
            created++;
            return ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 });
        }, options);
        trainer.Fit(data);
        // The first instance is made at construction (its shape and warm start are read from it), then one per fit.
        Assert.AreEqual(trainer.History!.Rounds.Count + 2, created, trainer.History.ToString());
    }

    private sealed class ClassRow
    {
        public uint Label { get; set; }
        [Microsoft.ML.Data.VectorType(2)] public float[] Features { get; set; } = [];
    }
}
