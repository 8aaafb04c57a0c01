namespace Microsoft.ML.HardMining.Tests.Losses;

[TestClass]
public sealed class ExampleLossesTests
{
    [TestMethod]
    [DataRow(true, 0.8)]
    [DataRow(false, 0.8)]
    [DataRow(true, 0.5)]
    [DataRow(false, 0.01)]
    public void LogLossFromProbabilityMatchesClosedForm(bool positive, double p)
    {
        var expected = positive ? -Math.Log(p) : -Math.Log(1 - p);
        Assert.AreEqual(expected, ExampleLosses.LogLossFromProbability(positive, p), 1e-12);
    }

    [TestMethod]
    [DataRow(true, 2.0)]
    [DataRow(false, 2.0)]
    [DataRow(true, -3.5)]
    [DataRow(false, 0.0)]
    public void LogLossFromScoreEqualsLogLossOfSigmoid(bool positive, double score)
    {
        var p = 1 / (1 + Math.Exp(-score));
        Assert.AreEqual(ExampleLosses.LogLossFromProbability(positive, p), ExampleLosses.LogLossFromScore(positive, score), 1e-12);
    }

    [TestMethod]
    public void LogLossFromScoreMatchesMlNetLogLoss()
    {
        var mlNet = new Microsoft.ML.Trainers.LogLoss();
        foreach (var score in new[] { -4f, -0.5f, 0f, 0.7f, 3f })
        {
            // ML.NET's LogLoss takes label 1/0 and reports in nats.
            Assert.AreEqual(mlNet.Loss(score, 1), ExampleLosses.LogLossFromScore(true, score), 1e-5, $"score {score}");
            Assert.AreEqual(mlNet.Loss(score, 0), ExampleLosses.LogLossFromScore(false, score), 1e-5, $"score {score}");
        }
    }

    [TestMethod]
    public void ExtremesStayFinite()
    {
        foreach (var s in new[] { 1e300, -1e300, 1e6, -1e6, 800, -800 })
        {
            foreach (var positive in new[] { true, false })
            {
                Assert.IsTrue(double.IsFinite(ExampleLosses.LogLossFromScore(positive, s)), $"logloss score {s}");
                Assert.IsTrue(double.IsFinite(ExampleLosses.Hinge(positive, s)), $"hinge {s}");
                Assert.IsTrue(double.IsFinite(ExampleLosses.Focal(positive, ExampleLosses.Sigmoid(s))), $"focal {s}");
            }
        }
        foreach (var p in new[] { 0.0, 1.0 })
        {
            Assert.IsTrue(double.IsFinite(ExampleLosses.LogLossFromProbability(true, p)));
            Assert.IsTrue(double.IsFinite(ExampleLosses.LogLossFromProbability(false, p)));
            Assert.IsTrue(double.IsFinite(ExampleLosses.Focal(true, p)));
        }
        // The confident mistake is the largest finite loss: -log(1e-15), for either class and through the focal loss too
        // (1 − (1 − 1e-15) is 9.99e-16 in double: clamping p before 1 − p let a negative's loss pass the cap).
        var cap = -Math.Log(1e-15);
        Assert.AreEqual(cap, ExampleLosses.LogLossFromProbability(true, 0), 1e-9);
        foreach (var p in new[] { 1.0, 1 - 1e-16, 1 - 1e-15 })
            Assert.IsLessThanOrEqualTo(cap, ExampleLosses.LogLossFromProbability(false, p), $"negative at p = {p}");
        Assert.IsLessThanOrEqualTo(0.75 * cap, ExampleLosses.Focal(false, 1.0));
        Assert.AreEqual(double.MaxValue, ExampleLosses.Squared(0, double.MaxValue), "finite, as promised, for every finite input");
        Assert.AreEqual(double.MaxValue, ExampleLosses.Squared(1, -double.MaxValue));
        Assert.AreEqual(1e6, ExampleLosses.LogLossFromScore(false, 1e6), 1e-6);
        Assert.AreEqual(0, ExampleLosses.LogLossFromScore(true, 1e6), 1e-12);
    }

    [TestMethod]
    public void HingeAndSquaredMatchClosedForm()
    {
        Assert.AreEqual(0, ExampleLosses.Hinge(true, 1.5));
        Assert.AreEqual(0.5, ExampleLosses.Hinge(true, 0.5), 1e-12);
        Assert.AreEqual(2.5, ExampleLosses.Hinge(false, 1.5), 1e-12);
        Assert.AreEqual(3.5, ExampleLosses.Hinge(false, 1.5, margin: 2), 1e-12);
        Assert.AreEqual(0.09, ExampleLosses.Squared(1, 0.7), 1e-12);
        Assert.AreEqual(0.49, ExampleLosses.Squared(0, 0.7), 1e-12);
    }

    [TestMethod]
    public void FocalMatchesPaperFormula()
    {
        // p = 0.9 for a positive: alpha * (0.1)^2 * -log(0.9)
        Assert.AreEqual(0.25 * 0.01 * -Math.Log(0.9), ExampleLosses.Focal(true, 0.9), 1e-12);
        // negative with p = 0.9: p_t = 0.1, alpha_t = 0.75
        Assert.AreEqual(0.75 * 0.81 * -Math.Log(0.1), ExampleLosses.Focal(false, 0.9), 1e-12);
        // gamma = 0, alpha = 0.5 is half the log-loss
        Assert.AreEqual(0.5 * -Math.Log(0.3), ExampleLosses.Focal(true, 0.3, gamma: 0, alpha: 0.5), 1e-12);
    }

    [TestMethod]
    public void CrossEntropyFromProbabilitiesAndLogits()
    {
        float[] probabilities = [0.1f, 0.7f, 0.2f];
        Assert.AreEqual(-Math.Log(0.7f), ExampleLosses.CrossEntropy(1, probabilities, scoresAreProbabilities: true), 1e-6);
        float[] logits = [1f, 2f, 3f];
        var denominator = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.AreEqual(-Math.Log(Math.Exp(1) / denominator), ExampleLosses.CrossEntropy(0, logits, scoresAreProbabilities: false), 1e-6);
        float[] huge = [1e30f, -1e30f];
        Assert.IsTrue(double.IsFinite(ExampleLosses.CrossEntropy(1, huge, scoresAreProbabilities: false)));
        Assert.AreEqual(0, ExampleLosses.CrossEntropy(0, huge, scoresAreProbabilities: false), 1e-12);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ExampleLosses.CrossEntropy(3, probabilities, true));
    }
}
