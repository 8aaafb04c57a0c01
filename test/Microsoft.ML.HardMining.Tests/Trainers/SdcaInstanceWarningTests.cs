using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining.Tests.Trainers;

/// <summary>SDCA tunes its regularisation on its first training set and keeps it: an instance reused across rounds is a trap worth a warning.</summary>
[TestClass]
public sealed class SdcaInstanceWarningTests
{
    private static List<string> Warnings(MLContext ml)
    {
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning && e.Source.Contains("HardMiningTrainer")) lock (warnings) warnings.Add(e.Message); };
        return warnings;
    }

    [TestMethod]
    public void AnSdcaInstanceAloneOrAtTheEndOfAPipelineIsWarnedAbout()
    {
        var ml = new MLContext(seed: 1);
        var warnings = Warnings(ml);
        ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.SdcaLogisticRegression());
        Assert.HasCount(1, warnings);
        StringAssert.Contains(warnings[0], "SdcaLogisticRegressionBinaryTrainer");
        StringAssert.Contains(warnings[0], "factory");

        ml.BinaryClassification.Trainers.HardNegativeMining(
            ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()));
        Assert.HasCount(2, warnings, "the trainer at the end of a pipeline is found too");
    }

    [TestMethod]
    public void AFactoryOrAnotherTrainerGetsNoWarning()
    {
        var ml = new MLContext(seed: 1);
        var warnings = Warnings(ml);
        ml.BinaryClassification.Trainers.HardNegativeMining(() => ml.BinaryClassification.Trainers.SdcaLogisticRegression(), new HardMining.Trainers.HardNegativeMiningOptions());
        ml.BinaryClassification.Trainers.HardNegativeMining(ml.BinaryClassification.Trainers.FastTree());
        Assert.IsEmpty(warnings);
    }
}
