using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.HardMining.Tests.Transforms;

[TestClass]
public sealed class HardExampleMiningPipelineTests
{
    private sealed class Row
    {
        public bool Label { get; set; }
        [VectorType(4)] public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
        public float Score { get; set; }
    }

    private static List<Row> MakeRows(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var label = random.NextDouble() < 0.2;
            var shift = label ? 0.8f : 0f;
            return new Row { Label = label, Features = Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() + shift * (float)random.NextDouble()).ToArray() };
        }).ToList();
    }

    private static SdcaLogisticRegressionBinaryTrainer Sdca(MLContext ml) =>
        ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1, Shuffle = false, MaximumNumberOfIterations = 20 });

    [TestMethod]
    public void TheTrainerInAChainSeesExactlyTheMinedRows()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(MakeRows(3000, 1));
        var first = Sdca(ml).Fit(train);

        var miner = ml.Transforms.HardExampleMining(scorer: first, negatives: MiningBudget.Fraction(0.3), seed: 3);
        var model = miner.Append(Sdca(ml)).Fit(train);

        // Reference: mine by hand, materialise the rows, train the same trainer on them.
        var result = HardExampleMiner.Mine(ml, first.Transform(train), new HardExampleMiningOptions { Negatives = MiningBudget.Fraction(0.3), Seed = 3 });
        var materialised = ml.Data.LoadFromEnumerable(ml.Data.CreateEnumerable<Row>(result.CreateView(train), reuseRowObject: false).ToList());
        var reference = Sdca(ml).Fit(materialised);

        var minedWeights = model.LastTransformer.Model.SubModel.Weights.ToArray();
        var referenceWeights = reference.Model.SubModel.Weights.ToArray();
        CollectionAssert.AreEqual(referenceWeights, minedWeights, "bit-identical weights: the trainer saw exactly the mined rows");
        CollectionAssert.AreNotEqual(first.Model.SubModel.Weights.ToArray(), minedWeights, "and not the full data");

        var miningStep = (HardExampleMiningTransformer)model.First();
        Assert.AreEqual(result.SelectedPositions.Count, miningStep.Report.Selected);
    }

    [TestMethod]
    public void OtherDataPassesThroughAndTheModelSavesLoadsAndPredicts()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(MakeRows(2000, 2));
        var test = ml.Data.LoadFromEnumerable(MakeRows(500, 3));
        var first = Sdca(ml).Fit(train);
        var model = ml.Transforms.HardExampleMining(scorer: first).Append(Sdca(ml)).Fit(train);

        var scoredTest = model.Transform(test);
        Assert.AreEqual(500, scoredTest.GetColumn<float>("Score").Count(), "every test row is scored");

        var path = Path.Combine(Path.GetTempPath(), $"hardmining-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var loaded = ml.Model.Load(path, out _);
            var expected = scoredTest.GetColumn<float>("Score").ToArray();
            var actual = loaded.Transform(test).GetColumn<float>("Score").ToArray();
            CollectionAssert.AreEqual(expected, actual, "the loaded model scores like the fitted one");

            var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(loaded);
            var original = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
            var row = MakeRows(1, 4)[0];
            Assert.AreEqual(original.Predict(row).Score, engine.Predict(row).Score, 1e-6f);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void WeightModeFeedsATrainerThatTakesExampleWeights()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(MakeRows(2000, 5));
        var first = Sdca(ml).Fit(train);
        var options = new HardExampleMiningOptions { Scorer = first, Output = MiningOutputMode.Weight, Negatives = MiningBudget.Fraction(0.2) };
        var estimator = ml.Transforms.HardExampleMining(options);
        var shape = estimator.GetOutputSchema(Infrastructure.SchemaShapes.Of(train.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == "Weight"), "the chain is told about the weight column before Fit");

        var pipeline = estimator.Append(ml.BinaryClassification.Trainers.FastTree(exampleWeightColumnName: "Weight", numberOfTrees: 10));
        var model = pipeline.Fit(train);
        var weights = ((HardExampleMiningTransformer)model.First()).Result.Weights;
        Assert.IsTrue(weights.Any(w => w > 1), "random easy rows stand for the rows left out");
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(MakeRows(500, 6))));
        Assert.IsGreaterThan(0.6, metrics.AreaUnderRocCurve);
    }

    [TestMethod]
    public void CrossValidationMinesEachTrainFoldAndKeepsEveryHoldoutRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = MakeRows(1500, 7);
        var data = ml.Data.LoadFromEnumerable(rows);
        var first = Sdca(ml).Fit(data);
        var pipeline = ml.Transforms.HardExampleMining(scorer: first).Append(Sdca(ml));
        var folds = ml.BinaryClassification.CrossValidate(data, pipeline, numberOfFolds: 3);
        Assert.HasCount(3, folds);
        Assert.AreEqual(rows.Count, folds.Sum(f => f.ScoredHoldOutSet.GetColumn<float>("Score").Count()));
    }

    [TestMethod]
    public void GetOutputSchemaChecksColumnsBeforeFit()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(MakeRows(100, 8));
        var shape = Infrastructure.SchemaShapes.Of(train.Schema);
        var noScore = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.HardExampleMining().GetOutputSchema(shape));
        StringAssert.Contains(noScore.Message, "'Score'");
        StringAssert.Contains(noScore.Message, "Scorer");
        var badLabel = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.HardExampleMining(labelColumnName: "Features").GetOutputSchema(shape));
        StringAssert.Contains(badLabel.Message, "'Features'");

        var chainError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.HardExampleMining().Append(Sdca(ml)).Fit(train));
        StringAssert.Contains(chainError.Message, "ScoreColumnName");
    }

    [TestMethod]
    public void ScorerThatDoesNotFitTheDataIsAClearError()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(MakeRows(200, 9));
        var other = ml.Data.LoadFromEnumerable(new[] { new { Label = true, Features = new float[] { 1, 2 } } }.Select(r => new OtherRow { Label = r.Label, Features = r.Features }));
        var scorerOnOther = Sdca(ml).Fit(other);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.HardExampleMining(scorer: scorerOnOther).Fit(train));
        StringAssert.Contains(error.Message, "Scorer");
    }

    private sealed class OtherRow
    {
        public bool Label { get; set; }
        [VectorType(2)] public float[] Features { get; set; } = [];
    }
}
