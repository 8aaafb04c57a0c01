using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Evaluation;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Evaluation;

[TestClass]
public sealed class BinaryScoreCurveTests
{
    // ---- brute force references: sweep every candidate threshold naively ----

    private static (long Tp, long Fp) NaiveCounts(bool[] labels, double[] scores, double t)
    {
        long tp = 0, fp = 0;
        for (int i = 0; i < labels.Length; i++)
            if (scores[i] >= t) { if (labels[i]) tp++; else fp++; }
        return (tp, fp);
    }

    private static double NaiveThresholdForRecall(bool[] labels, double[] scores, double recall)
    {
        long p = labels.Count(l => l);
        double best = double.PositiveInfinity;
        if (recall <= 0) return best;
        // the highest threshold among all scores whose recall reaches the target
        best = double.NegativeInfinity;
        foreach (var t in scores)
        {
            var (tp, _) = NaiveCounts(labels, scores, t);
            if ((double)tp / p >= recall - 1e-12 && t > best) best = t;
        }
        return best;
    }

    private static double NaiveAuc(bool[] labels, double[] scores)
    {
        double wins = 0; long pairs = 0;
        for (int i = 0; i < labels.Length; i++)
            if (labels[i])
                for (int j = 0; j < labels.Length; j++)
                    if (!labels[j]) { pairs++; wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0; }
        return wins / pairs;
    }

    private static double NaiveAveragePrecision(bool[] labels, double[] scores)
    {
        long p = labels.Count(l => l);
        double area = 0, prevRecall = 0;
        foreach (var t in scores.Distinct().OrderByDescending(s => s))
        {
            var (tp, fp) = NaiveCounts(labels, scores, t);
            double r = (double)tp / p;
            area += (r - prevRecall) * tp / (tp + fp);
            prevRecall = r;
        }
        return area;
    }

    private static (bool[] Labels, double[] Scores) RandomScored(int seed, int n, double positiveRate, int levels)
    {
        var rng = new Random(seed);
        var labels = new bool[n];
        var scores = new double[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = rng.NextDouble() < positiveRate;
            // few distinct levels -> many ties; positives shifted up a little so curves are not trivial
            scores[i] = Math.Round((rng.NextDouble() + (labels[i] ? 0.3 : 0)) * levels) / levels;
        }
        labels[0] = true; labels[1] = false;
        return (labels, scores);
    }

    [TestMethod]
    [DataRow(1, 300, 0.2, 10)]
    [DataRow(2, 500, 0.05, 1000)]
    [DataRow(3, 200, 0.5, 3)]
    [DataRow(4, 257, 0.1, 1_000_000)]
    public void MatchesBruteForceSweepIncludingTies(int seed, int n, double positiveRate, int levels)
    {
        var (labels, scores) = RandomScored(seed, n, positiveRate, levels);
        var curve = BinaryScoreCurve.FromScores(labels, scores);
        long p = labels.Count(l => l), neg = n - p;
        Assert.AreEqual(p, curve.Positives);
        Assert.AreEqual(neg, curve.Negatives);

        foreach (var recall in new[] { 0.0, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0 })
        {
            double t = NaiveThresholdForRecall(labels, scores, recall);
            Assert.AreEqual(t, curve.ThresholdForRecall(recall), $"threshold at recall {recall}");
            var (tp, fp) = t == double.PositiveInfinity ? (0L, 0L) : NaiveCounts(labels, scores, t);
            Assert.AreEqual((double)fp / neg, curve.FalsePositiveRateAtRecall(recall), 1e-12, $"FPR at recall {recall}");
            double precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
            Assert.AreEqual(precision, curve.PrecisionAtRecall(recall), 1e-12, $"precision at recall {recall}");
            var counts = curve.CountsAtRecall(recall);
            Assert.AreEqual(tp, counts.TruePositives);
            Assert.AreEqual(fp, counts.FalsePositives);
            Assert.AreEqual(p - tp, counts.FalseNegatives);
            Assert.AreEqual(neg - fp, counts.TrueNegatives);
        }

        Assert.AreEqual(NaiveAuc(labels, scores), curve.AreaUnderRocCurve, 1e-12);
        Assert.AreEqual(NaiveAveragePrecision(labels, scores), curve.AreaUnderPrecisionRecallCurve, 1e-12);

        // every curve point agrees with a naive count at its threshold, and thresholds never split a tie
        var distinct = scores.Distinct().OrderByDescending(s => s).ToArray();
        var roc = curve.RocCurve();
        Assert.HasCount(distinct.Length + 1, roc);
        for (int g = 0; g < distinct.Length; g++)
        {
            var (tp, fp) = NaiveCounts(labels, scores, distinct[g]);
            Assert.AreEqual(distinct[g], roc[g + 1].Threshold);
            Assert.AreEqual((double)fp / neg, roc[g + 1].FalsePositiveRate, 1e-12);
            Assert.AreEqual((double)tp / p, roc[g + 1].TruePositiveRate, 1e-12);
            var pr = curve.PrecisionRecallCurve()[g];
            Assert.AreEqual((double)tp / (tp + fp), pr.Precision, 1e-12);
        }
        Assert.AreEqual(1.0, roc[^1].FalsePositiveRate);
        Assert.AreEqual(1.0, roc[^1].TruePositiveRate);

        // arbitrary thresholds, including between and beyond the scores
        foreach (var t in new[] { -10, 0.05, 0.5, 0.55, 1.0, 1.3, 10 })
        {
            var (tp, fp) = NaiveCounts(labels, scores, t);
            var c = curve.CountsAtThreshold(t);
            Assert.AreEqual(tp, c.TruePositives, $"t={t}");
            Assert.AreEqual(fp, c.FalsePositives, $"t={t}");
        }
    }

    [TestMethod]
    public void TiedScoresMoveTogether()
    {
        // 4 positives; two of them tie with 2 negatives at 0.5. Recall 0.75 needs the tie: all of it comes in.
        bool[] labels = [true, true, true, false, false, true, false];
        double[] scores = [0.9, 0.5, 0.5, 0.5, 0.5, 0.1, 0.0];
        var curve = BinaryScoreCurve.FromScores(labels, scores);
        Assert.AreEqual(0.5, curve.ThresholdForRecall(0.5));
        Assert.AreEqual(2.0 / 3, curve.FalsePositiveRateAtRecall(0.5), 1e-12);
        Assert.AreEqual(0.6, curve.PrecisionAtRecall(0.75), 1e-12);
        Assert.AreEqual(0.9, curve.ThresholdForRecall(0.25));
        Assert.AreEqual(0.0, curve.FalsePositiveRateAtRecall(0.25));
        Assert.AreEqual(4, curve.DistinctScores);
    }

    [TestMethod]
    public void AucMatchesMlNetEvaluatorOnRealMnist()
    {
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(RealDatasets.MnistOneVsRest(9, 150, seed: 1));
        var test = ml.Data.LoadFromEnumerable(RealDatasets.MnistOneVsRest(9, 100, seed: 1, skipPerDigit: 150));
        var model = ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5).Fit(train);
        var scored = model.Transform(test);

        var curve = BinaryScoreCurve.Create(scored);
        var mlnet = ml.BinaryClassification.EvaluateNonCalibrated(scored);
        Assert.AreEqual(mlnet.AreaUnderRocCurve, curve.AreaUnderRocCurve, 1e-6);
        Assert.AreEqual(100, curve.Positives);
        Assert.AreEqual(900, curve.Negatives);
        // the Probability column is a monotone map of Score: same ranking up to float ties created by the sigmoid
        var byProbability = BinaryScoreCurve.Create(scored, scoreColumnName: "Probability");
        Assert.AreEqual(curve.AreaUnderRocCurve, byProbability.AreaUnderRocCurve, 1e-3);
        // ML.NET's AUPRC is an estimate of the same area: close, not identical
        Assert.AreEqual(mlnet.AreaUnderPrecisionRecallCurve, curve.AreaUnderPrecisionRecallCurve, 0.03);

        // the FPR at recall 0.95 agrees with a brute force over the real scores
        var labels = scored.GetColumn<bool>("Label").ToArray();
        var scores = scored.GetColumn<float>("Score").Select(s => (double)s).ToArray();
        double t = NaiveThresholdForRecall(labels, scores, 0.95);
        var (_, fp) = NaiveCounts(labels, scores, t);
        Assert.AreEqual(fp / 900.0, curve.FalsePositiveRateAtRecall(0.95), 1e-12);
    }

    [TestMethod]
    public void BadInputGivesClearErrors()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new Scored { Label = true, Score = 1 }, new Scored { Label = false, Score = 0 },
        });
        var missing = Assert.ThrowsExactly<ArgumentException>(() => BinaryScoreCurve.Create(data, scoreColumnName: "Prob"));
        StringAssert.Contains(missing.Message, "'Prob'");
        var missingLabel = Assert.ThrowsExactly<ArgumentException>(() => BinaryScoreCurve.Create(data, labelColumnName: "Target"));
        StringAssert.Contains(missingLabel.Message, "'Target'");

        var oneClass = ml.Data.LoadFromEnumerable(new[] { new Scored { Label = true, Score = 1 }, new Scored { Label = true, Score = 0 } });
        var e = Assert.ThrowsExactly<ArgumentException>(() => BinaryScoreCurve.Create(oneClass));
        StringAssert.Contains(e.Message, "0 negative");

        var nan = ml.Data.LoadFromEnumerable(new[] { new Scored { Label = true, Score = float.NaN }, new Scored { Label = false, Score = 0 } });
        var n = Assert.ThrowsExactly<InvalidOperationException>(() => BinaryScoreCurve.Create(nan));
        StringAssert.Contains(n.Message, "NaN");

        var curve = BinaryScoreCurve.Create(data);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => curve.FalsePositiveRateAtRecall(1.5));
        Assert.ThrowsExactly<ArgumentException>(() => BinaryScoreCurve.FromScores([true], [1.0, 2.0]));

        // The public parameter is named, not an internal one; the single-class error names the label column it read.
        Assert.AreEqual("labelColumnName", Assert.ThrowsExactly<ArgumentException>(() => BinaryScoreCurve.Create(data, labelColumnName: null!)).ParamName);
        Assert.AreEqual("scoreColumnName", Assert.ThrowsExactly<ArgumentException>(() => BinaryScoreCurve.Create(data, scoreColumnName: " ")).ParamName);
        Assert.AreEqual("scoreColumnName", missing.ParamName);
        StringAssert.Contains(e.Message, "label column 'Label'");
    }

    [TestMethod]
    public void InfiniteScoresAndTinyRecallsKeepTheDefinitions()
    {
        // Rows scored +∞ are predicted positive at every threshold, +∞ included: recall 0 must still be the empty prediction.
        var curve = BinaryScoreCurve.FromScores([true, false, true, false, true], [double.PositiveInfinity, double.PositiveInfinity, 1, 0, double.NegativeInfinity]);
        var none = curve.CountsAtRecall(0);
        Assert.AreEqual((0L, 0L), (none.TruePositives, none.FalsePositives));
        Assert.AreEqual(0, curve.FalsePositiveRateAtRecall(0));
        var first = curve.CountsAtRecall(1.0 / 3);
        Assert.AreEqual((1L, 1L), (first.TruePositives, first.FalsePositives), "the +∞ tie enters whole");
        Assert.AreEqual(first, curve.CountsAtThreshold(double.PositiveInfinity));

        // Any recall above 0 needs a true positive: 1e-12 used to round to none, giving FPR 0 and threshold +∞.
        var small = BinaryScoreCurve.FromScores([true, false, false, false], [0.1, 0.5, 0.1, 0.0]);
        Assert.AreEqual(0.1, small.ThresholdForRecall(1e-12));
        Assert.AreEqual(2.0 / 3, small.FalsePositiveRateAtRecall(1e-12), 1e-12);
        Assert.AreEqual(1, small.CountsAtRecall(1e-300).TruePositives);
    }

    private sealed class Scored
    {
        public bool Label { get; set; }
        public float Score { get; set; }
    }
}
