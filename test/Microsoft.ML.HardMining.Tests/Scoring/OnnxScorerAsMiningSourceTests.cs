using Microsoft.ML.HardMining.Scoring;
using static Microsoft.ML.HardMining.Tests.Scoring.OnnxScoringTestHelpers;

namespace Microsoft.ML.HardMining.Tests.Scoring;

/// <summary>The batched ONNX scorer as the score source of the miner: an ONNX "teacher" picks the hard negatives.</summary>
[TestClass]
public sealed class OnnxScorerAsMiningSourceTests
{
    [TestMethod]
    public void MinerWithOnnxScorerPicksTheNegativesWithTheLargestLogLossUnderApplyOnnxModel()
    {
        using var export = MnistOnnxExport.Create(perDigit: 60); // 600 real digits, 60 of them 9s
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(export.Rows);
        using var scorer = ml.Transforms.ScoreOnnxBatched(export.ModelPath, "Features", batchSize: 32).Fit(data);

        var result = HardExampleMiner.Mine(ml, data, new HardExampleMiningOptions
        {
            Scorer = scorer,
            ProbabilityColumnName = "Probability",
            Loss = MiningLossKind.LogLoss,
            Positives = MiningBudget.None,
            Negatives = MiningBudget.Count(40),
            RandomShare = 0,
        });

        // Brute force over ML.NET's own ONNX path: the 40 negatives with the largest -log(1 - p), ties by position.
        var reference = ml.Transforms.ApplyOnnxModel(export.ModelPath).Fit(data).Transform(data);
        var probability = VectorColumn(reference, "Probability").Select(v => (double)v[0]).ToArray();
        var expected = export.Rows
            .Where(r => !r.Label)
            .Select(r => (Position: (long)r.Id, Loss: ExampleLosses.LogLossFromProbability(false, probability[r.Id])))
            .OrderByDescending(t => t.Loss).ThenBy(t => t.Position)
            .Take(40).Select(t => t.Position).Order().ToArray();
        CollectionAssert.AreEqual(expected, result.SelectedPositions.ToArray());

        var digits = result.SelectedPositions.Select(p => export.Rows[(int)p].Digit).ToArray();
        Assert.IsTrue(digits.All(d => d != 9), "only negatives were asked for");
        // What makes the mined rows real hard negatives: 4s and 7s (digits that look like 9s) dominate, far above their 2/9 share.
        Assert.IsGreaterThan(40 * 2 / 9.0, digits.Count(d => d is 4 or 7), "digits: " + string.Join(",", digits));
    }
}
