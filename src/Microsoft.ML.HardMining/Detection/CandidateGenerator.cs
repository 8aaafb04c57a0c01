namespace Microsoft.ML.HardMining.Detection;

/// <summary>Runs a detector over labelled images and produces the candidate view: one labelled, loss-scored row per box.</summary>
public static class CandidateGenerator
{
    /// <summary>Detects, clips the ground truth to each image, labels every candidate and computes its loss.</summary>
    /// <param name="detector">The detector (its <see cref="OnnxDetectorOptions.MinScore"/>, top-k cap and NMS decide which boxes become candidates).</param>
    /// <param name="images">The images; ids must be unique. Images without ground truth yield negatives only.</param>
    /// <param name="options">Labelling thresholds and loss weights.</param>
    /// <param name="progress">Receives the number of images done.</param>
    /// <returns>The candidate set with its report.</returns>
    public static CandidateSet Generate(OnnxDetector detector, IEnumerable<LabeledImage> images, RoiLabelingOptions? options = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(images);
        return Generate(image => detector.Detect(image), images, options, progress);
    }

    /// <summary>Same as the detector overload, with any detection function (e.g. a cached or a non-ONNX detector).</summary>
    /// <param name="detect">Runs detection on one image.</param>
    /// <param name="images">The images; ids must be unique.</param>
    /// <param name="options">Labelling thresholds and loss weights.</param>
    /// <param name="progress">Receives the number of images done.</param>
    /// <returns>The candidate set with its report.</returns>
    public static CandidateSet Generate(Func<RgbImage, DetectionResult> detect, IEnumerable<LabeledImage> images, RoiLabelingOptions? options = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(detect);
        ArgumentNullException.ThrowIfNull(images);
        options ??= new RoiLabelingOptions();
        options.Validate();
        var report = new CandidateReport();
        var rows = new List<CandidateRow>();
        var kept = new List<LabeledImage>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in images)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(images));
            if (!ids.Add(item.Id))
                throw new ArgumentException($"Image id '{item.Id}' appears twice; ids must be unique because they group the candidates.", nameof(images));
            var image = item.Load();
            var truth = ClipGroundTruth(item, image, report);
            var result = detect(image);
            report.DroppedByTopK += result.DroppedByTopK;
            report.SuppressedByNms += result.SuppressedByNms;
            report.DroppedOutsideImage += result.DroppedEmptyAfterClip;
            var labelled = RoiLabeler.Label(item.Id, result.Candidates, truth, options);
            rows.AddRange(labelled);
            report.Images++;
            if (truth.Count == 0)
                report.BackgroundOnlyImages++;
            for (var g = 0; g < truth.Count; g++)
            {
                if (!labelled.Any(r => r.Label && r.MatchedGroundTruth == g))
                    report.GroundTruthMissed++;
            }
            kept.Add(item.Image is null && item.Path is not null ? new LabeledImage(item.Id, item.Path, truth) : new LabeledImage(item.Id, image, truth));
            progress?.Report(report.Images);
        }
        foreach (var r in rows)
        {
            switch (r.GetKind())
            {
                case RoiLabel.Positive: report.Positives++; break;
                case RoiLabel.Negative: report.Negatives++; break;
                default: report.Ignored++; break;
            }
        }
        report.Candidates = rows.Count;
        return new CandidateSet(rows, kept, report);
    }

    private static List<BoundingBox> ClipGroundTruth(LabeledImage item, RgbImage image, CandidateReport report)
    {
        var truth = new List<BoundingBox>(item.GroundTruth.Count);
        foreach (var g in item.GroundTruth)
        {
            report.GroundTruthBoxes++;
            if (g.IsInside(image.Width, image.Height))
            {
                truth.Add(g);
                continue;
            }
            var clipped = g.Clip(image.Width, image.Height);
            if (clipped.Width <= 0 || clipped.Height <= 0)
            {
                report.GroundTruthDropped++;
                continue;
            }
            report.GroundTruthClipped++;
            truth.Add(clipped);
        }
        return truth;
    }
}
