using Microsoft.ML.HardMining.Evaluation;

namespace Microsoft.ML.HardMining.Cli.Reports;

/// <summary>The JSON report of <c>hardmine evaluate</c>: one section per score source.</summary>
/// <param name="Input">The evaluated file.</param>
/// <param name="Sources">One section per model or score column.</param>
public sealed record EvaluationDocument(string Input, IReadOnlyList<EvaluationDocument.Source> Sources)
{
    /// <summary>The metrics of one score source.</summary>
    /// <param name="Name">The model file or score column.</param>
    /// <param name="Rows">Rows evaluated.</param>
    /// <param name="Positives">Positive rows.</param>
    /// <param name="Negatives">Negative rows.</param>
    /// <param name="AreaUnderPrecisionRecallCurve">Exact average precision.</param>
    /// <param name="AreaUnderRocCurve">Exact ROC area.</param>
    /// <param name="AtRecall">The metrics at each target recall.</param>
    /// <param name="PrecisionRecallCurve">Every point of the PR curve, highest threshold first.</param>
    public sealed record Source(string Name, long Rows, long Positives, long Negatives, double AreaUnderPrecisionRecallCurve, double AreaUnderRocCurve,
        IReadOnlyList<RecallPoint> AtRecall, IReadOnlyList<PrecisionRecallPoint> PrecisionRecallCurve)
    {
        /// <summary>Computes the section from a curve.</summary>
        /// <param name="name">The source's name.</param>
        /// <param name="curve">Its curve.</param>
        /// <param name="recalls">The target recalls.</param>
        public static Source From(string name, BinaryScoreCurve curve, IReadOnlyList<double> recalls) =>
            new(name, curve.Count, curve.Positives, curve.Negatives, curve.AreaUnderPrecisionRecallCurve, curve.AreaUnderRocCurve,
                recalls.Select(r =>
                {
                    var counts = curve.CountsAtRecall(r);
                    return new RecallPoint(r, curve.FalsePositiveRateAtRecall(r), curve.PrecisionAtRecall(r), curve.ThresholdForRecall(r), counts.TruePositives, counts.FalsePositives);
                }).ToArray(),
                curve.PrecisionRecallCurve());
    }

    /// <summary>The metrics at one target recall.</summary>
    /// <param name="Recall">The target recall.</param>
    /// <param name="FalsePositiveRate">FPR at the highest threshold that reaches it.</param>
    /// <param name="Precision">Precision there.</param>
    /// <param name="Threshold">That threshold.</param>
    /// <param name="TruePositives">True positives there.</param>
    /// <param name="FalsePositives">False positives there.</param>
    public sealed record RecallPoint(double Recall, double FalsePositiveRate, double Precision, double Threshold, long TruePositives, long FalsePositives);
}
