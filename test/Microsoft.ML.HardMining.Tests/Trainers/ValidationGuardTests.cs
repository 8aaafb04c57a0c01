using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Evaluation;
using Microsoft.ML.HardMining.Tests.Infrastructure;
using Microsoft.ML.HardMining.Trainers;

namespace Microsoft.ML.HardMining.Tests.Trainers;

/// <summary>Issue 7: the guard's choice must follow the validation numbers, which the test recomputes itself.</summary>
[TestClass]
public sealed class ValidationGuardTests
{
    private static (MLContext, IDataView Train, IDataView Validation) Data(int seed)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.Cache(ml.Data.LoadFromEnumerable(RealDatasets.MnistOneVsRest(9, 150, seed)));
        var validation = ml.Data.Cache(ml.Data.LoadFromEnumerable(RealDatasets.MnistOneVsRest(9, 60, seed, skipPerDigit: 150)));
        return (ml, train, validation);
    }

    [TestMethod]
    [DataRow("FastTree", GuardMetric.FalsePositiveRateAtRecall)]
    [DataRow("Sdca", GuardMetric.FalsePositiveRateAtRecall)]
    [DataRow("FastTree", GuardMetric.AreaUnderPrecisionRecallCurve)]
    [DataRow("Sdca", GuardMetric.LogLoss)]
    public void GuardKeepsWhicheverIsBetterOnValidation(string name, GuardMetric metric)
    {
        var (ml, train, validation) = Data(seed: 3);
        IEstimator<ITransformer> inner = name == "FastTree"
            ? ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 30, exampleWeightColumnName: "Weight")
            : ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(exampleWeightColumnName: "Weight", maximumNumberOfIterations: 10));
        var options = new HardNegativeMiningOptions
        {
            ExampleWeightColumnName = "Weight",
            Validation = new ValidationGuardOptions { ValidationData = validation, Metric = metric, Patience = 2 },
        };
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(inner, options);
        var model = trainer.Fit(train);
        var h = trainer.History!;

        Assert.AreEqual(metric, h.Metric);
        Assert.IsNotNull(h.BaselineMetric);
        bool lowerIsBetter = metric != GuardMetric.AreaUnderPrecisionRecallCurve;
        var scored = h.Rounds.Select(r => r.ValidationMetric!.Value).ToArray();
        double best = lowerIsBetter ? scored.Min() : scored.Max();
        int bestRound = Array.IndexOf(scored, best);
        // Mining must beat the baseline by the required margin (half a standard error of the paired difference by default).
        double margin = h.RequiredMargin!.Value;
        Assert.IsGreaterThan(0, margin);
        bool miningBetter = lowerIsBetter ? best < h.BaselineMetric!.Value - margin : best > h.BaselineMetric!.Value + margin;
        Assert.AreEqual(!miningBetter, h.BaselineKept, h.ToString());
        Assert.AreEqual(miningBetter ? bestRound : -1, h.ChosenRound);
        StringAssert.StartsWith(h.Verdict, miningBetter ? "mining kept" : "baseline kept");

        // The returned model is the one whose metric was reported: recompute it independently on the validation rows.
        var returnedScored = model.Transform(validation);
        double recomputed = metric switch
        {
            GuardMetric.FalsePositiveRateAtRecall => BinaryScoreCurve.Create(returnedScored).FalsePositiveRateAtRecall(0.95),
            GuardMetric.AreaUnderPrecisionRecallCurve => BinaryScoreCurve.Create(returnedScored).AreaUnderPrecisionRecallCurve,
            _ => ml.BinaryClassification.Evaluate(returnedScored).LogLoss * Math.Log(2), // ML.NET reports bits, the guard nats
        };
        double reported = miningBetter ? best : h.BaselineMetric!.Value;
        Assert.AreEqual(reported, recomputed, metric == GuardMetric.LogLoss ? 1e-4 : 1e-12, h.ToString());

        // Patience: the loop never ran more than Patience rounds past its best.
        if (h.StopReason == MiningStopReason.ValidationPatience)
            Assert.AreEqual(bestRound + 2, h.Rounds.Count - 1);
    }

    [TestMethod]
    public void DefaultGuardHoldsOutRowsAndNeverReturnsAWorseValidationModel()
    {
        var (ml, train, _) = Data(seed: 5);
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 30));
        trainer.Fit(train);
        var h = trainer.History!;
        Assert.AreEqual(GuardMetric.FalsePositiveRateAtRecall, h.Metric);
        double best = h.Rounds.Min(r => r.ValidationMetric!.Value);
        Assert.AreEqual(h.BaselineKept, !(best < h.BaselineMetric!.Value - h.RequiredMargin!.Value), h.ToString());
        // 20% of each class is held out: the rounds train on 80% of the 150 positives
        Assert.AreEqual(120, h.Rounds[0].TrainingRowsPerClass[1]);
    }

    [TestMethod]
    public void ZeroMarginKeepsMiningOnAnyStrictImprovement()
    {
        var (ml, train, validation) = Data(seed: 3);
        var options = new HardNegativeMiningOptions
        {
            MaxRounds = 1,
            Validation = new ValidationGuardOptions { ValidationData = validation, MinImprovementInStandardErrors = 0 },
        };
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20), options);
        trainer.Fit(train);
        var h = trainer.History!;
        Assert.AreEqual(0, h.RequiredMargin);
        double best = h.Rounds.Min(r => r.ValidationMetric!.Value);
        Assert.AreEqual(!(best < h.BaselineMetric!.Value), h.BaselineKept, h.ToString());
    }

    [TestMethod]
    public void TheMarginIsTheGivenNumberOfStandardErrorsHalfByDefault()
    {
        var (ml, train, validation) = Data(seed: 3);
        HardMiningHistory Run(ValidationGuardOptions guard)
        {
            guard.ValidationData = validation;
            var t = ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20), new HardNegativeMiningOptions { Validation = guard });
            t.Fit(train);
            return t.History!;
        }
        var byDefault = Run(new ValidationGuardOptions());
        var one = Run(new ValidationGuardOptions { MinImprovementInStandardErrors = 1 });
        var two = Run(new ValidationGuardOptions { MinImprovementInStandardErrors = 2 });
        // Same rows, seed and models: the same bootstrap standard error, scaled by the option.
        Assert.IsGreaterThan(0, one.RequiredMargin!.Value);
        Assert.AreEqual(0.5 * one.RequiredMargin.Value, byDefault.RequiredMargin!.Value, 1e-12);
        Assert.AreEqual(2 * one.RequiredMargin.Value, two.RequiredMargin!.Value, 1e-12);
        foreach (var h in new[] { byDefault, one, two })
        {
            double best = h.Rounds.Min(r => r.ValidationMetric!.Value);
            Assert.AreEqual(!(best < h.BaselineMetric!.Value - h.RequiredMargin!.Value), h.BaselineKept, h.ToString());
        }
    }

    [TestMethod]
    public void MinedModelIsTheGuardOffRunOnAllRowsStoppedAfterTheChosenRound()
    {
        var (ml, train, _) = Data(seed: 5);
        var reported = new List<HardMiningRound>();
        HardNegativeMiningOptions Options(ValidationGuardOptions guard, int maxRounds) => new()
        {
            Seed = 3, MaxRounds = maxRounds, ExamplesPerRound = 40, Validation = guard,
        };
        var guarded = ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20),
            Options(new ValidationGuardOptions { ReturnBaselineWhenBetter = false, Patience = 3 }, maxRounds: 3), progress: new ListProgress(reported));
        var model = guarded.Fit(train);
        var h = guarded.History!;
        Assert.IsFalse(h.BaselineKept);
        CollectionAssert.AreEqual(h.Rounds.ToArray(), reported.ToArray(), "the rerun on all rows reports no rounds of its own");
        Assert.IsGreaterThanOrEqualTo(1, h.ChosenRound, "this data needs a chosen round ≥ 1 for a guard-off run to compare with: " + h);

        var plain = ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20),
            Options(new ValidationGuardOptions { Enabled = false }, maxRounds: h.ChosenRound));
        var expected = plain.Fit(train);
        Assert.AreEqual(h.ChosenRound + 1, plain.History!.Rounds.Count);
        // The guard-off run trains on 20% of all negatives, the guarded rounds on 20% of the 80% left after the holdout.
        Assert.IsGreaterThan(h.Rounds[h.ChosenRound].TrainingRowsPerClass[0], plain.History.Rounds[^1].TrainingRowsPerClass[0]);
        CollectionAssert.AreEqual(expected.Transform(train).GetColumn<float>("Score").ToArray(), model.Transform(train).GetColumn<float>("Score").ToArray());
    }

    private sealed class ListProgress(List<HardMiningRound> list) : IProgress<HardMiningRound>
    {
        public void Report(HardMiningRound value) => list.Add(value);
    }

    [TestMethod]
    public void ReturnBaselineWhenBetterFalseKeepsMiningAndSaysSo()
    {
        var (ml, train, validation) = Data(seed: 3);
        // A metric where the baseline is very likely better: log-loss of a model trained on a 5% share of the negatives
        // (its probabilities are shifted towards the positives).
        var options = new HardNegativeMiningOptions
        {
            NegativeFraction = 0.05,
            MaxRounds = 1,
            Validation = new ValidationGuardOptions { ValidationData = validation, Metric = GuardMetric.LogLoss, ReturnBaselineWhenBetter = false },
        };
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), options);
        trainer.Fit(train);
        var h = trainer.History!;
        Assert.IsFalse(h.BaselineKept);
        Assert.IsGreaterThanOrEqualTo(0, h.ChosenRound);
        if (!(h.Rounds[h.ChosenRound].ValidationMetric < h.BaselineMetric - h.RequiredMargin))
            StringAssert.Contains(h.Verdict, "ReturnBaselineWhenBetter = false");
    }
}
