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
}
