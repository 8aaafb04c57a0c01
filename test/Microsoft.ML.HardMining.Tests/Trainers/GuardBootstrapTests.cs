using Microsoft.ML.HardMining.Evaluation;
using Microsoft.ML.HardMining.Trainers;

namespace Microsoft.ML.HardMining.Tests.Trainers;

/// <summary>The guard's bootstrap: resampled metrics, the standard error of the paired difference, and the best-of-rounds optimism.</summary>
[TestClass]
public sealed class GuardBootstrapTests
{
    /// <summary>Labels (about 15% positives) and scores rounded to a coarse grid, so many rows tie.</summary>
    private static (int[] Labels, double[] Scores) Rows(int n, int seed, double separation)
    {
        var rng = new Random(seed);
        var labels = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.15 ? 1 : 0).ToArray();
        var scores = labels.Select(l => Math.Round((l * separation + Normal(rng)) * 4) / 4).ToArray();
        return (labels, scores);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [TestMethod]
    public void ResampledMetricEqualsTheCurveOnTheRepeatedRows()
    {
        var (labels, scores) = Rows(400, seed: 7, separation: 2);
        var rng = new Random(3);
        var fpr = new ResampledMetric(labels, scores, GuardMetric.FalsePositiveRateAtRecall, 0.95);
        var ap = new ResampledMetric(labels, scores, GuardMetric.AreaUnderPrecisionRecallCurve, 0.95);
        var losses = scores.Select(s => Math.Abs(s)).ToArray();
        var mean = new ResampledMetric(labels, losses, GuardMetric.LogLoss, 0.95);
        for (int trial = 0; trial < 20; trial++)
        {
            // Multiplicities as a bootstrap draws them: some rows absent, some repeated.
            var counts = new int[labels.Length];
            for (int j = 0; j < labels.Length; j++) counts[rng.Next(labels.Length)]++;
            var rows = Enumerable.Range(0, labels.Length).SelectMany(i => Enumerable.Repeat(i, counts[i])).ToArray();
            var curve = BinaryScoreCurve.FromScores(rows.Select(i => labels[i] == 1).ToArray(), rows.Select(i => scores[i]).ToArray());
            Assert.AreEqual(curve.FalsePositiveRateAtRecall(0.95), fpr.Measure(counts), 1e-15);
            Assert.AreEqual(curve.AreaUnderPrecisionRecallCurve, ap.Measure(counts), 1e-12);
            Assert.AreEqual(rows.Average(i => losses[i]), mean.Measure(counts), 1e-12);
        }
    }

    [TestMethod]
    public void StandardErrorShrinksWithTheSquareRootOfTheRows()
    {
        // The same model pair on 4x the rows: the bootstrap standard error of the paired difference halves (within noise).
        double Se(int n)
        {
            var (labels, baseline) = Rows(n, seed: 21, separation: 2);
            var rng = new Random(4);
            var round = baseline.Select((s, i) => s + 0.5 * labels[i] + 0.3 * Normal(rng)).ToArray();
            return GuardBootstrap.Run(labels, baseline, [round], 0, GuardMetric.AreaUnderPrecisionRecallCurve, 0.95, seed: 2).StandardError;
        }
        double ratio = Se(1000) / Se(4000);
        Assert.IsGreaterThan(1.6, ratio);
        Assert.IsLessThan(2.5, ratio);
    }

    [TestMethod]
    public void ChoosingTheBestOfEquallyGoodRoundsIsOptimisticAndTheOptimismIsMeasured()
    {
        var (labels, baseline) = Rows(1500, seed: 5, separation: 2);
        var rng = new Random(9);
        // Rounds that are the baseline plus independent noise: none is better in truth, the best of four looks better.
        var rounds = Enumerable.Range(0, 4).Select(_ => baseline.Select(s => s + 0.3 * Normal(rng)).ToArray()).ToArray();
        var measure = rounds.Select(r => new ResampledMetric(labels, r, GuardMetric.FalsePositiveRateAtRecall, 0.95).Measure(Ones(labels.Length))).ToArray();
        int best = Array.IndexOf(measure, measure.Min());
        var s = GuardBootstrap.Run(labels, baseline, rounds, best, GuardMetric.FalsePositiveRateAtRecall, 0.95, seed: 1, resamples: 500);
        Assert.IsGreaterThan(0.2 * s.StandardError, s.SelectionOptimism, s.ToString());

        // One round far better than the others: choosing it is no longer luck, and the optimism is (nearly) zero.
        var strong = labels.Select((l, i) => baseline[i] + 3 * l).ToArray();
        var clear = new[] { rounds[0], strong, rounds[1] };
        var c = GuardBootstrap.Run(labels, baseline, clear, 1, GuardMetric.FalsePositiveRateAtRecall, 0.95, seed: 1, resamples: 500);
        Assert.IsLessThan(0.05 * c.StandardError, c.SelectionOptimism, c.ToString());
        Assert.IsGreaterThan(0, c.Improvement);
        Assert.IsGreaterThan(0, c.StandardError);
    }

    private static int[] Ones(int n)
    {
        var a = new int[n];
        Array.Fill(a, 1);
        return a;
    }
}
