using Microsoft.ML.HardMining.Cli.Datasets;

namespace Microsoft.ML.HardMining.Tests.RealData;

/// <summary>On real data, the mined negatives are the confusable ones, far above their base rate.</summary>
[TestClass]
public sealed class RealDataMiningTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MnistNineVersusRestMinesFoursAndSevens()
    {
        var ml = new MLContext(seed: 1);
        var digits = MnistDigits.Load();
        var rows = MnistDigits.OneVsRest(digits, target: 9);
        var data = ml.Data.LoadFromEnumerable(rows);
        var first = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 10))
            .Fit(data);

        var model = ml.Transforms.HardExampleMining(scorer: first, negatives: MiningBudget.Fraction(0.1), randomShare: 0)
            .Fit(data);
        var mined = ml.Data.CreateEnumerable<MnistBinaryRow>(model.Transform(data), reuseRowObject: false).ToList();

        var negatives = rows.Where(r => !r.Label).ToList();
        var baseRate = negatives.Count(r => r.Digit is 4 or 7) / (double)negatives.Count;
        var minedNegatives = mined.Where(r => !r.Label).ToList();
        var minedRate = minedNegatives.Count(r => r.Digit is 4 or 7) / (double)minedNegatives.Count;

        TestContext.WriteLine($"4s and 7s: {minedRate:P1} of mined negatives vs {baseRate:P1} of all negatives");
        Assert.AreEqual((int)Math.Round(0.1 * negatives.Count), minedNegatives.Count);
        Assert.AreEqual(rows.Count(r => r.Label), mined.Count(r => r.Label), "every 9 is kept");
        Assert.IsGreaterThan(2 * baseRate, minedRate, $"4s and 7s: {minedRate:P1} of mined negatives vs {baseRate:P1} of all negatives");
        Assert.IsGreaterThan(0.5, minedRate, "4s and 7s dominate the hard negatives");
    }

    [TestMethod]
    public void SpamFilterMinesHardHam()
    {
        var ml = new MLContext(seed: 1);
        var mails = SpamAssassinMails.Load();
        var data = ml.Data.LoadFromEnumerable(mails.Select(m => new MailRow { Label = m.Label, Text = m.Text, Group = m.Group }));
        // Word n-grams only: character n-grams over 6,000 mails cost minutes on two cores and add nothing to this check.
        var textOptions = new Microsoft.ML.Transforms.Text.TextFeaturizingEstimator.Options { CharFeatureExtractor = null };
        var first = ml.Transforms.Text.FeaturizeText("Features", textOptions, "Text")
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 10))
            .Fit(data);

        var result = HardExampleMiner.Mine(ml, first.Transform(data), new HardExampleMiningOptions { Negatives = MiningBudget.Fraction(0.1), RandomShare = 0 });
        var groups = mails.Select(m => m.Group).ToArray();
        var minedHam = result.SelectedPositions.Where((_, i) => result.ClassIndexes[i] == 0).Select(p => groups[p]).ToList();
        var ham = mails.Where(m => !m.Label).ToList();
        var baseRate = ham.Count(m => m.IsHardHam) / (double)ham.Count;
        var minedRate = minedHam.Count(g => g.StartsWith("hard-ham", StringComparison.Ordinal)) / (double)minedHam.Count;

        Assert.AreEqual(4150, ham.Count, "the corpus's ham");
        TestContext.WriteLine($"hard ham: {minedRate:P1} of mined ham vs {baseRate:P1} of all ham");
        Assert.IsGreaterThan(3 * baseRate, minedRate, $"hard ham: {minedRate:P1} of mined ham vs {baseRate:P1} of all ham");
    }

    private sealed class MailRow
    {
        public bool Label { get; set; }
        public string Text { get; set; } = "";
        public string Group { get; set; } = "";
    }
}
