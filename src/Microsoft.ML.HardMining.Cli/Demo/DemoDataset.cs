using Microsoft.ML.HardMining.Cli.Datasets;

namespace Microsoft.ML.HardMining.Cli.Demo;

/// <summary>A real binary task for the demo: train and test views with a Boolean <c>Label</c> and a <c>Features</c> vector.</summary>
public sealed record DemoDataset(string Name, string Description, IDataView Train, IDataView Test, long TrainPositives, long TrainNegatives)
{
    /// <summary>MNIST "9 vs rest": about 10% positives; 4s and 7s are the hard negatives.</summary>
    public static DemoDataset Mnist(MLContext ml, int seed)
    {
        var (train, test) = MnistDigits.Split(MnistDigits.Load(), 0.3, seed);
        var trainRows = MnistDigits.OneVsRest(train, 9);
        return new DemoDataset("mnist", "MNIST 10k, 9 vs rest (70/30 split by digit)",
            ml.Data.Cache(ml.Data.LoadFromEnumerable(trainRows)),
            ml.Data.Cache(ml.Data.LoadFromEnumerable(MnistDigits.OneVsRest(test, 9))),
            trainRows.Count(r => r.Label), trainRows.Count(r => !r.Label));
    }

    /// <summary>SpamAssassin spam vs ham, with the hard-ham folder split between train and test; word n-gram features.</summary>
    public static DemoDataset Spam(MLContext ml, int seed)
    {
        var (train, test) = SpamAssassinMails.Split(SpamAssassinMails.Load(), 0.3, seed);
        var textOptions = new Microsoft.ML.Transforms.Text.TextFeaturizingEstimator.Options { CharFeatureExtractor = null };
        var featurizer = ml.Transforms.Text.FeaturizeText("Features", textOptions, nameof(SpamMail.Text));
        var trainView = ml.Data.LoadFromEnumerable(train);
        var fitted = featurizer.Fit(trainView);
        // Only Label and Features go on: the demo's pipelines see what a spam filter sees.
        IDataView Prepare(IDataView view) => ml.Data.Cache(ml.Transforms.SelectColumns("Label", "Features").Fit(fitted.Transform(view)).Transform(fitted.Transform(view)));
        return new DemoDataset("spam", "SpamAssassin 6,046 mails, spam vs ham (70/30 split by folder; hard ham in both)",
            Prepare(trainView), Prepare(ml.Data.LoadFromEnumerable(test)),
            train.Count(m => m.Label), train.Count(m => !m.Label));
    }
}
