namespace Microsoft.ML.HardMining.Detection;

/// <summary>The candidate boxes of a set of images, labelled against ground truth, one row per box, with a report.</summary>
public sealed class CandidateSet
{
    internal CandidateSet(IReadOnlyList<CandidateRow> rows, IReadOnlyList<LabeledImage> images, CandidateReport report)
    {
        Rows = rows;
        Images = images;
        Report = report;
    }

    /// <summary>The rows, image by image in input order, best detector score first within an image.</summary>
    public IReadOnlyList<CandidateRow> Rows { get; }

    /// <summary>The images, with their (clipped) ground truth.</summary>
    public IReadOnlyList<LabeledImage> Images { get; }

    /// <summary>What was produced, clipped and dropped.</summary>
    public CandidateReport Report { get; }

    /// <summary>
    /// The rows as an ML.NET <see cref="IDataView"/> with columns <c>ImageId</c> (text), <c>CandidateIndex</c>,
    /// <c>Box</c> (4 floats), <c>Score</c>, <c>ClassId</c>, <c>BestIoU</c>, <c>MatchedGroundTruth</c>, <c>Kind</c> (text),
    /// <c>Label</c> (bool), <c>ClassificationLoss</c>, <c>LocalizationLoss</c>, <c>Loss</c>.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <returns>The view (rows in <see cref="Rows"/> order).</returns>
    public IDataView ToDataView(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return mlContext.Data.LoadFromEnumerable(Rows);
    }
}
