using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Tests.Infrastructure;
using Microsoft.ML.HardMining.Trainers;

namespace Microsoft.ML.HardMining.Tests.Trainers;

[TestClass]
public sealed class BadInputTests
{
    private static IDataView Rows(MLContext ml, int positives, int negatives) => ml.Data.LoadFromEnumerable(
        Enumerable.Range(0, positives + negatives).Select(i => new XRow { Id = i, Label = i < positives, X = i }).ToArray());

    private static HardNegativeMiningOptions NoGuard() => new() { Validation = new ValidationGuardOptions { Enabled = false } };

    [TestMethod]
    public void NoNegativesOrNoPositives()
    {
        var ml = new MLContext(1);
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), NoGuard()).Fit(Rows(ml, 10, 0)));
        StringAssert.Contains(e1.Message, "no negative rows");
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), NoGuard()).Fit(Rows(ml, 0, 10)));
        StringAssert.Contains(e2.Message, "no positive rows");
        StringAssert.Contains(e2.Message, "'Label'");
    }

    [TestMethod]
    public void CacheSmallerThanOneRoundsAdditions()
    {
        var ml = new MLContext(1);
        var options = NoGuard();
        options.MaxCacheRows = 10;
        options.ExamplesPerRound = 20;
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), options).Fit(Rows(ml, 10, 200)));
        StringAssert.Contains(e.Message, "smaller than one round's additions");
        StringAssert.Contains(e.Message, "ExamplesPerRound");

        var bytes = NoGuard();
        bytes.PositiveFraction = 1;
        bytes.MaxCacheBytes = 8; // less than the positives that are always trained on
        var b = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), bytes).Fit(Rows(ml, 10, 200)));
        StringAssert.Contains(b.Message, "MaxCacheBytes");
    }

    [TestMethod]
    public void ValidationWithAnotherSchema()
    {
        var ml = new MLContext(1);
        var other = ml.Data.LoadFromEnumerable(new[] { new { Label = true, Y = 1f }, new { Label = false, Y = 0f } });
        var options = new HardNegativeMiningOptions { Validation = new ValidationGuardOptions { ValidationData = other } };
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), options).Fit(Rows(ml, 10, 200)));
        StringAssert.Contains(e.Message, "no column 'Id'");
    }

    [TestMethod]
    public void ValidationWithOneClassOrAShareThatLeavesAClassOut()
    {
        var ml = new MLContext(1);
        var oneClass = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new XRow { Id = i, Label = false, X = i }).ToArray());
        var options = new HardNegativeMiningOptions { Validation = new ValidationGuardOptions { ValidationData = oneClass } };
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), options).Fit(Rows(ml, 10, 200)));
        StringAssert.Contains(e.Message, "only negative rows");

        // 2 positives: a 0.2 share holds out round(0.4) = 0 of them
        var share = new HardNegativeMiningOptions { Validation = new ValidationGuardOptions { HoldoutFraction = 0.2 } };
        var s = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), share).Fit(Rows(ml, 2, 200)));
        StringAssert.Contains(s.Message, "HoldoutFraction");
        StringAssert.Contains(s.Message, "positive");
    }

    [TestMethod]
    public void OptionErrorsNameTheOption()
    {
        var ml = new MLContext(1);
        var p = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml),
            new HardNegativeMiningOptions { Validation = new ValidationGuardOptions { Patience = 0 } }));
        StringAssert.Contains(p.Message, "Patience");
        var f = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml),
            new HardNegativeMiningOptions { NegativeFraction = 0 }));
        StringAssert.Contains(f.Message, "NegativeFraction");
        var w = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml),
            new HardNegativeMiningOptions { Validation = new ValidationGuardOptions { Baseline = BaselineKind.ClassWeighted } }));
        StringAssert.Contains(w.Message, "ExampleWeightColumnName");
        var m = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.HardExampleMining(new RecordingTrainer(ml),
            new MulticlassHardMiningOptions { Validation = new ValidationGuardOptions { Metric = GuardMetric.FalsePositiveRateAtRecall } }));
        StringAssert.Contains(m.Message, "binary metric");
    }

    [TestMethod]
    public void InnerTrainerOfTheWrongKind()
    {
        var ml = new MLContext(1);
        var binary = ml.Data.LoadFromEnumerable(RealDatasets.MnistOneVsRest(9, 20, 1));
        // A multiclass trainer in the binary catalog: its label must be a key, which the binary label is not.
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(keyed, NoGuard()).Fit(binary));
        StringAssert.Contains(e.Message, "not a binary classification trainer");

        // A binary label handed to the multiclass catalog.
        var mc = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.HardExampleMining(ml.BinaryClassification.Trainers.FastTree(),
            new MulticlassHardMiningOptions { Validation = new ValidationGuardOptions { Enabled = false } }).Fit(binary));
        StringAssert.Contains(mc.Message, "key label");
    }

    [TestMethod]
    public void OptionsThatWouldRunDegenerateNameTheOption()
    {
        var ml = new MLContext(1);
        void Expect(string option, HardNegativeMiningOptions options)
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), options), option);
            Assert.AreEqual(option, e.ParamName);
        }
        // Cast integers used to run as some member: Schedule 7 as offline rounds, Loss 5 as log-loss, Baseline 9 as full data.
        Expect(nameof(HardNegativeMiningOptions.Schedule), new HardNegativeMiningOptions { Schedule = (MiningSchedule)7 });
        Expect(nameof(HardNegativeMiningOptions.Loss), new HardNegativeMiningOptions { Loss = (HardnessLoss)5 });
        Expect(nameof(HardNegativeMiningOptions.EpochSelection), new HardNegativeMiningOptions { EpochSelection = (EpochSelection)9 });
        Expect(nameof(ValidationGuardOptions.Baseline), new HardNegativeMiningOptions { Validation = new ValidationGuardOptions { Baseline = (BaselineKind)9 } });
        // Infinite values stopped mining at round 0 (every loss infinite, or no loss above the bar) or zeroed every weight.
        Expect(nameof(HardNegativeMiningOptions.Margin), new HardNegativeMiningOptions { Loss = HardnessLoss.Hinge, Margin = double.PositiveInfinity });
        Expect(nameof(HardNegativeMiningOptions.MinHardLoss), new HardNegativeMiningOptions { MinHardLoss = double.PositiveInfinity });
        Expect(nameof(HardNegativeMiningOptions.Beta), new HardNegativeMiningOptions { Beta = double.PositiveInfinity });
    }

    [TestMethod]
    public void OptionsChangedAfterConstructionDoNotReachFit()
    {
        var ml = new MLContext(1);
        var options = NoGuard();
        options.NegativeFraction = 0.1;
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), options);
        // Unchecked values set afterwards: -1 used to train on one negative, a null guard to throw a NullReferenceException.
        options.NegativeFraction = -1;
        options.Validation = null!;
        trainer.Fit(Rows(ml, 10, 200));
        // The random start is a quarter of the 20-row cache that 10% of 200 negatives makes.
        Assert.AreEqual(5, trainer.History!.Rounds[0].TrainingRowsPerClass[0], trainer.History.ToString());
    }

    [TestMethod]
    public void GetOutputSchemaChecksTheLabelAndTheInnerTrainersScoreBeforeAnyTraining()
    {
        var ml = new MLContext(1);
        var data = ml.Transforms.Concatenate("Features", nameof(XRow.X)).Fit(Rows(ml, 20, 200)).Transform(Rows(ml, 20, 200));
        var shape = SchemaShapes.Of(data.Schema);
        var noLabel = new HardNegativeMiningOptions { LabelColumnName = "Nope" };
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), noLabel).GetOutputSchema(shape));
        StringAssert.Contains(e1.Message, "'Nope'");
        var intLabel = new HardNegativeMiningOptions { LabelColumnName = nameof(XRow.Id) };
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), intLabel).GetOutputSchema(shape));
        StringAssert.Contains(e2.Message, "Boolean (or Single) label");

        // A clustering trainer writes a vector score: refused before it trains.
        var kmeans = ml.BinaryClassification.Trainers.HardNegativeMining(ml.Clustering.Trainers.KMeans(numberOfClusters: 2), NoGuard());
        var e3 = Assert.ThrowsExactly<InvalidOperationException>(() => kmeans.GetOutputSchema(shape));
        StringAssert.Contains(e3.Message, "not a binary classification trainer");

        // A regression trainer writes a Single score the shape cannot tell apart; its score's kind says what it is after the first fit.
        var regression = ml.BinaryClassification.Trainers.HardNegativeMining(
            ml.Transforms.Conversion.ConvertType("Target", "Label", DataKind.Single).Append(ml.Regression.Trainers.Sdca("Target")), NoGuard());
        var e4 = Assert.ThrowsExactly<InvalidOperationException>(() => regression.Fit(data));
        StringAssert.Contains(e4.Message, "Regression score");
    }

    [TestMethod]
    public void AWeightColumnThatMiningSuppliesPassesThePipelinesCheck()
    {
        // docs/trainers.md: the inner trainer reads "W", which the data does not have; mining writes it.
        var ml = new MLContext(1);
        var data = Rows(ml, 30, 300);
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(
            ml.BinaryClassification.Trainers.LbfgsLogisticRegression(exampleWeightColumnName: "W"),
            new HardNegativeMiningOptions { ExampleWeightColumnName = "W" });
        var pipeline = ml.Transforms.Concatenate("Features", nameof(XRow.X)).Append(trainer);
        var shape = pipeline.GetOutputSchema(SchemaShapes.Of(data.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == "Score"));
        Assert.IsFalse(shape.Any(c => c.Name == "W"), "the weight column is mining's business, not the model's output");
        var model = pipeline.Fit(data);
        Assert.AreEqual(330, model.Transform(data).GetColumn<float>("Score").Count());
    }

    [TestMethod]
    public void ARowScoredNaNIsNamedByItsPositionInTheTrainingData()
    {
        // L-BFGS trains around rows with NaN features and scores them NaN. Their loss used to be infinite: ranked hardest,
        // and the objective rule then stopped mining at once, "converged" (guard off); with the guard, the metric reported
        // the row by its index among the held-out rows.
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 1000).Select(i => new XRow { Id = i, Label = i % 4 == 0, X = i >= 900 ? float.NaN : (i % 4 == 0 ? 1 : -1) * (i % 7) }).ToArray();
        var data = ml.Transforms.Concatenate("Features", nameof(XRow.X)).Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        foreach (var guard in new[] { false, true })
        {
            var options = new HardNegativeMiningOptions { Validation = new ValidationGuardOptions { Enabled = guard } };
            var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
                ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), options).Fit(data), $"guard {guard}");
            StringAssert.Contains(e.Message, "of the training data");
            StringAssert.Contains(e.Message, "NaN or infinite");
            var row = int.Parse(System.Text.RegularExpressions.Regex.Match(e.Message, @"row (\d+) of the training data").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.IsTrue(row >= 900, $"guard {guard}: row {row} is not one of the rows with NaN features: {e.Message}");
        }
    }

    [TestMethod]
    public void ACacheTheRandomShareFillsStopsWithThatReason()
    {
        var ml = new MLContext(1);
        var options = NoGuard();
        options.RandomShare = 1;
        options.ObjectiveTolerance = 0;
        var trainer = ml.BinaryClassification.Trainers.HardNegativeMining(new RecordingTrainer(ml), options);
        trainer.Fit(Rows(ml, 10, 200));
        // It used to say NoNewHardExamples, "no row outside the cache has a loss above 0", with losses up to 200 outside it.
        Assert.AreEqual(MiningStopReason.NoRoomForHardRows, trainer.History!.StopReason, trainer.History.ToString());
        StringAssert.Contains(trainer.History.StopDetail, "RandomShare");
        Assert.HasCount(1, trainer.History.Rounds);
    }
}
