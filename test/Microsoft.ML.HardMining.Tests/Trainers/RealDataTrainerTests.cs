using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Evaluation;
using Microsoft.ML.HardMining.Tests.Infrastructure;
using Microsoft.ML.HardMining.Trainers;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.HardMining.Tests.Trainers;

/// <summary>The mining trainers around real ML.NET trainers on real MNIST "9 vs rest" (1,500 training rows).</summary>
[TestClass]
public sealed class RealDataTrainerTests
{
    private static (MLContext Ml, IDataView Train, IDataView Test) Mnist(int seed = 1)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(RealDatasets.MnistOneVsRest(9, 150, seed));
        var test = ml.Data.LoadFromEnumerable(RealDatasets.MnistOneVsRest(9, 60, seed, skipPerDigit: 150));
        return (ml, ml.Data.Cache(train), ml.Data.Cache(test));
    }

    private static IEstimator<ITransformer> Inner(MLContext ml, string name) => name switch
    {
        "Sdca" => ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 10)),
        "Lbfgs" => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
        "FastTree" => ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 30),
        "LightGbm" => ml.BinaryClassification.Trainers.LightGbm(numberOfIterations: 30),
        "AveragedPerceptron" => ml.BinaryClassification.Trainers.AveragedPerceptron(numberOfIterations: 3),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static HardNegativeMiningOptions Offline() => new()
    {
        MaxRounds = 2,
        Validation = new ValidationGuardOptions { Enabled = false },
    };

    [TestMethod]
    [DataRow("Sdca")]
    [DataRow("Lbfgs")]
    [DataRow("FastTree")]
    [DataRow("LightGbm")]
    [DataRow("AveragedPerceptron")]
    public void OfflineRoundsWorkWithEveryTrainerFamilyAndReturnTheInnerTransformer(string name)
    {
        var (ml, train, test) = Mnist();
        var plain = Inner(ml, name).Fit(train);
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(Inner(ml, name), Offline());
        var model = trainer.Fit(train);

        Assert.AreEqual(plain.GetType(), model.GetType(), "Fit returns the inner trainer's own transformer type");
        var h = trainer.History!;
        Assert.IsGreaterThanOrEqualTo(2, h.Rounds.Count);
        long negatives = train.GetColumn<bool>("Label").LongCount(l => !l);
        long positives = train.GetColumn<bool>("Label").LongCount(l => l);
        foreach (var r in h.Rounds)
        {
            Assert.AreEqual(positives, r.TrainingRowsPerClass[1], "every positive is trained on");
            Assert.IsLessThanOrEqualTo((long)Math.Ceiling(0.2 * negatives), r.TrainingRowsPerClass[0], "the cache stays within its budget");
        }
        Assert.IsGreaterThan(h.Rounds[0].TrainingRowsPerClass[0], h.Rounds[1].TrainingRowsPerClass[0], "round 1 adds hard negatives");

        var curve = BinaryScoreCurve.Create(model.Transform(test));
        Assert.IsGreaterThan(0.9, curve.AreaUnderRocCurve, $"{name}: AUC {curve.AreaUnderRocCurve}");
    }

    [TestMethod]
    public void MinedModelSavesLoadsAndPredictsLikeAnyModel()
    {
        var (ml, train, test) = Mnist();
        var model = ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20), Offline()).Fit(train);
        var path = Path.Combine(Path.GetTempPath(), $"mined-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var loaded = ml.Model.Load(path, out _);
            var a = model.Transform(test).GetColumn<float>("Score").ToArray();
            var b = loaded.Transform(test).GetColumn<float>("Score").ToArray();
            CollectionAssert.AreEqual(a, b);
            var engine = ml.Model.CreatePredictionEngine<MnistInput, BinaryOutput>(loaded);
            var first = ml.Data.CreateEnumerable<MnistInput>(test, reuseRowObject: false).First();
            Assert.AreEqual(a[0], engine.Predict(first).Score, 1e-6);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    [DataRow("AveragedPerceptron")]
    [DataRow("LinearSvm")]
    [DataRow("LbfgsLogisticRegression")]
    [DataRow("SgdCalibrated")]
    [DataRow("SgdNonCalibrated")]
    public void PerEpochMiningContinuesFromThePreviousModel(string name)
    {
        var (ml, train, test) = Mnist();
        var options = new HardNegativeMiningOptions { Schedule = MiningSchedule.PerEpoch, MaxRounds = 2, Validation = new ValidationGuardOptions { Enabled = false } };
        var model = name switch
        {
            "AveragedPerceptron" => Run(ml.BinaryClassification.Trainers.AveragedPerceptron(numberOfIterations: 2)),
            "LinearSvm" => Run(ml.BinaryClassification.Trainers.LinearSvm(numberOfIterations: 2)),
            "LbfgsLogisticRegression" => Run(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()),
            "SgdCalibrated" => Run(ml.BinaryClassification.Trainers.SgdCalibrated(numberOfIterations: 2)),
            _ => Run(ml.BinaryClassification.Trainers.SgdNonCalibrated(numberOfIterations: 2)),
        };
        var curve = BinaryScoreCurve.Create(model.Transform(test));
        Assert.IsGreaterThan(0.9, curve.AreaUnderRocCurve, $"{name}: AUC {curve.AreaUnderRocCurve}");

        ITransformer Run<T>(IEstimator<T> inner) where T : class, ITransformer
        {
            var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(inner, options);
            var m = trainer.Fit(train);
            var h = trainer.History!;
            Assert.HasCount(3, h.Rounds);
            Assert.AreEqual(MiningStopReason.RoundLimit, h.StopReason);
            long negatives = train.GetColumn<bool>("Label").LongCount(l => !l);
            foreach (var r in h.Rounds) Assert.AreEqual((long)Math.Ceiling(0.2 * negatives), r.TrainingRowsPerClass[0]);
            Assert.IsGreaterThan(0, h.Rounds[0].NewHardExamples);
            Assert.AreEqual(inner.Fit(train).GetType(), m.GetType());
            return m;
        }
    }

    [TestMethod]
    public void PerEpochCallsTheWarmStartWithThePreviousModel()
    {
        var (ml, train, _) = Mnist();
        var inner = ml.BinaryClassification.Trainers.AveragedPerceptron(numberOfIterations: 1);
        var previous = new List<object?>();
        var returned = new List<object>();
        var options = new HardNegativeMiningOptions { Schedule = MiningSchedule.PerEpoch, MaxRounds = 3, Validation = new ValidationGuardOptions { Enabled = false } };
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(inner, options, continueTraining: (data, prev) =>
        {
            previous.Add(prev);
            var m = prev is null ? inner.Fit(data) : inner.Fit(data, prev.Model);
            returned.Add(m);
            return m;
        });
        var final = trainer.Fit(train);
        Assert.HasCount(4, previous);
        Assert.IsNull(previous[0]);
        for (int i = 1; i < 4; i++) Assert.AreSame(returned[i - 1], previous[i], "each epoch continues from the one before");
        Assert.AreSame(returned[^1], final);
    }

    [TestMethod]
    public void PerEpochWithoutWarmStartPointsToOfflineMode()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(
            ml.BinaryClassification.Trainers.FastTree(), new HardNegativeMiningOptions { Schedule = MiningSchedule.PerEpoch }));
        StringAssert.Contains(e.Message, "OfflineRounds");
        StringAssert.Contains(e.Message, "FastTree");
    }

    [TestMethod]
    public void MulticlassOfflineAndPerEpochWithMaximumEntropy()
    {
        var ml = new MLContext(seed: 1);
        var keyMap = ml.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(ml.Data.LoadFromEnumerable(RealDatasets.MnistDigitsSample(100, 2)));
        var train = ml.Data.Cache(keyMap.Transform(ml.Data.LoadFromEnumerable(RealDatasets.MnistDigitsSample(100, 2))));
        var test = ml.Data.Cache(keyMap.Transform(ml.Data.LoadFromEnumerable(RealDatasets.MnistDigitsSample(50, 2, skipPerDigit: 100))));

        foreach (var schedule in new[] { MiningSchedule.OfflineRounds, MiningSchedule.PerEpoch })
        {
            var inner = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { FeatureColumnName = "Pixels", MaximumNumberOfIterations = 30 });
            var options = new MulticlassHardMiningOptions { Schedule = schedule, ClassFraction = 0.4, MinRowsPerClass = 10, MaxRounds = 2 };
            var trainer = ml.MulticlassClassification.Trainers.HardExampleMining(inner, options);
            var model = trainer.Fit(train);
            Assert.IsInstanceOfType<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>(model);
            var h = trainer.History!;
            Assert.AreEqual(GuardMetric.LogLoss, h.Metric);
            Assert.HasCount(10, h.Rounds[0].TrainingRowsPerClass);
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            Assert.IsGreaterThan(0.75, metrics.MicroAccuracy, $"{schedule}: {metrics.MicroAccuracy}; {h}");
            // the guard's numbers are the model's own: recompute the validation log-loss choice
            if (!h.BaselineKept) Assert.AreEqual(h.Rounds.Where(r => r.ValidationMetric is not null).Min(r => r.ValidationMetric!.Value), h.Rounds[h.ChosenRound].ValidationMetric!.Value);
        }
    }

    private sealed class MnistInput
    {
        public bool Label { get; set; }
        public int Digit { get; set; }
        [VectorType(784)] public float[] Features { get; set; } = [];
    }

    private sealed class BinaryOutput
    {
        public float Score { get; set; }
    }
}
