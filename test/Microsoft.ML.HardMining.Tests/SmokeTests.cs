namespace Microsoft.ML.HardMining.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void MlNetTrainsOnThisMachine()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 200).Select(i => new { Label = i % 2 == 0, Features = new float[] { i % 2 == 0 ? 1f : -1f, i / 200f } }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Label = r.Label, Features = r.Features }));
        var model = ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(data);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(data));
        Assert.IsGreaterThan(0.99, metrics.AreaUnderRocCurve);
    }

    private sealed class Row
    {
        public bool Label { get; set; }
        [Microsoft.ML.Data.VectorType(2)] public float[] Features { get; set; } = [];
    }
}
