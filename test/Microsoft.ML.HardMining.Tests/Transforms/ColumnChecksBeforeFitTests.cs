using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Tests.Transforms;

/// <summary>
/// A pipeline with a wrong column must fail at <c>GetOutputSchema</c>, before any data is read, as ML.NET's estimators do, and
/// with the error <c>Fit</c> would give: the same exception, option and column.
/// </summary>
[TestClass]
public sealed class ColumnChecksBeforeFitTests
{
    private sealed class Row
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public int Image { get; set; }
        public bool Flag { get; set; }
        public short Small { get; set; }
        public string Name { get; set; } = "";
        [VectorType(3)] public float[] Features { get; set; } = [];
        [VectorType(2)] public int[] Ids { get; set; } = [];
        [VectorType(4)] public double[] DoubleBox { get; set; } = [];
    }

    private static IDataView Data(MLContext ml)
    {
        var rows = Enumerable.Range(0, 40).Select(i => new Row
        {
            Label = i % 4 == 0, Score = i % 7 - 3, Image = i / 5, Flag = i % 2 == 0, Small = (short)(i / 5), Name = "n" + (i % 3),
            Features = [i, 1, 2], Ids = [i, i], DoubleBox = [0, 0, 1, 1],
        });
        // A key label too, for the multiclass cases.
        return ml.Transforms.Conversion.MapValueToKey("Class", "Name").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
    }

    public static IEnumerable<object[]> BadColumns()
    {
        yield return ["score of integers", new HardExampleMiningOptions { ScoreColumnName = "Image" }, "ScoreColumnName", "'Image'", "Single or Double value"];
        yield return ["probability of Booleans", new HardExampleMiningOptions { ProbabilityColumnName = "Flag" }, "ProbabilityColumnName", "'Flag'", "Single or Double value"];
        yield return ["loss column of integers", new HardExampleMiningOptions { Loss = MiningLossKind.Column, LossColumnName = "Image" }, "LossColumnName", "'Image'", "Single or Double value"];
        yield return ["vector label", new HardExampleMiningOptions { LabelColumnName = "Features" }, "LabelColumnName", "is Vector<Single", "a binary loss needs"];
        yield return ["key label with a binary loss", new HardExampleMiningOptions { LabelColumnName = "Class" }, "LabelColumnName", "'Class'", "Loss = MiningLossKind.CrossEntropy"];
        yield return ["cross-entropy with a Boolean label", new HardExampleMiningOptions { Loss = MiningLossKind.CrossEntropy }, "LabelColumnName", "'Label'", "MapValueToKey"];
        yield return ["cross-entropy with a scalar score", new HardExampleMiningOptions { Loss = MiningLossKind.CrossEntropy, LabelColumnName = "Class" }, "ScoreColumnName", "'Score'", "vector of Single class scores"];
        yield return ["Boolean group", new HardExampleMiningOptions { GroupColumnName = "Flag" }, "GroupColumnName", "'Flag'", "a group column must be"];
        yield return ["Int16 group", new HardExampleMiningOptions { GroupColumnName = "Small" }, "GroupColumnName", "is Int16", "Int32, Int64, UInt32"];
        yield return ["vector group", new HardExampleMiningOptions { GroupColumnName = "Ids" }, "GroupColumnName", "is Vector<Int32", "a group column must be"];
        yield return ["box of doubles", new HardExampleMiningOptions { GroupColumnName = "Image", BoxColumnName = "DoubleBox" }, "BoxColumnName", "'DoubleBox'", "4 Single values"];
        yield return ["missing score", new HardExampleMiningOptions { ScoreColumnName = "Scroe" }, "ScoreColumnName", "'Scroe'", "set a Scorer that adds it"];
    }

    [TestMethod]
    [DynamicData(nameof(BadColumns))]
    public void ShapeAndFitRejectTheColumnAlike(string name, HardExampleMiningOptions options, string option, string column, string advice)
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var estimator = ml.Transforms.HardExampleMining(options);
        var beforeFit = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(Infrastructure.SchemaShapes.Of(data.Schema)), name);
        var atFit = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data), name);
        foreach (var error in new[] { beforeFit, atFit })
        {
            Assert.AreEqual(option, error.ParamName, name);
            StringAssert.Contains(error.Message, column, name);
            StringAssert.Contains(error.Message, advice, name);
        }
    }

    [TestMethod]
    public void GoodColumnsPassTheShapeCheck()
    {
        var ml = new MLContext(seed: 1);
        var shape = Infrastructure.SchemaShapes.Of(Data(ml).Schema);
        // Every kind of column the miner reads, each with a type it accepts.
        HardExampleMiningOptions[] good =
        [
            new(),
            new() { GroupColumnName = "Image" },
            new() { GroupColumnName = "Name" },
            new() { GroupColumnName = "Class" },
            new() { ProbabilityColumnName = "Score" },
            new() { Loss = MiningLossKind.Column, LossColumnName = "Score" },
            new() { Loss = MiningLossKind.CrossEntropy, LabelColumnName = "Class", ScoreColumnName = "Features" },
        ];
        foreach (var options in good)
            Assert.AreEqual(shape.Count, ml.Transforms.HardExampleMining(options).GetOutputSchema(shape).Count);
    }

    [TestMethod]
    public void AScorersMissingScoreColumnIsReportedAsTheScorers()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        // A scorer whose output has no "Probability": the advice must not be to set a scorer, which is done.
        var scorer = ml.Transforms.CopyColumns("Copied", "Score").Fit(data);
        var estimator = ml.Transforms.HardExampleMining(new HardExampleMiningOptions { Scorer = scorer, ProbabilityColumnName = "Probability" });
        Assert.AreEqual(Infrastructure.SchemaShapes.Of(data.Schema).Count, estimator.GetOutputSchema(Infrastructure.SchemaShapes.Of(data.Schema)).Count,
            "with a scorer, the score columns are only checked on its output");
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        StringAssert.Contains(error.Message, "'Probability'");
        StringAssert.Contains(error.Message, "The Scorer's output has no such column");
    }

    [TestMethod]
    public void TheWeightColumnOfTheShapeIsAPlainSingleWhateverTheLabel()
    {
        // With a key label the weight column's shape used to carry the label's KeyValues, which the real column has not.
        var ml = new MLContext(seed: 1);
        var shape = Infrastructure.SchemaShapes.Of(Data(ml).Schema);
        var options = new HardExampleMiningOptions { Loss = MiningLossKind.CrossEntropy, LabelColumnName = "Class", ScoreColumnName = "Features", Output = MiningOutputMode.Weight };
        var weight = ml.Transforms.HardExampleMining(options).GetOutputSchema(shape).Single(c => c.Name == "Weight");
        Assert.AreEqual(NumberDataViewType.Single, weight.ItemType);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Scalar, weight.Kind);
        Assert.IsFalse(weight.IsKey);
        Assert.IsEmpty(weight.Annotations.Select(a => a.Name).ToArray(), string.Join(", ", weight.Annotations.Select(a => a.Name)));
    }
}
