using Microsoft.ML.HardMining.Cli.Scoring;

namespace Microsoft.ML.HardMining.Cli.Reports;

/// <summary>The JSON report of <c>hardmine mine</c>: the inputs, the options, and every field of the <see cref="MiningReport"/>.</summary>
public sealed record MiningReportDocument
{
    /// <summary>The input file.</summary>
    public required string Input { get; init; }

    /// <summary>The mined rows file.</summary>
    public required string Output { get; init; }

    /// <summary>Where the scores came from.</summary>
    public required string ScoreSource { get; init; }

    /// <summary>The options the miner ran with.</summary>
    public required IReadOnlyDictionary<string, string> Options { get; init; }

    /// <summary>Rows read.</summary>
    public required long RowsScanned { get; init; }

    /// <summary>Rows selected.</summary>
    public required long Selected { get; init; }

    /// <summary>Rows with a NaN/infinite score or loss.</summary>
    public required long RowsWithInvalidScore { get; init; }

    /// <summary>Rows with a missing label.</summary>
    public required long RowsWithMissingLabel { get; init; }

    /// <summary>Selected negatives per selected positive.</summary>
    public required double? AchievedNegativesPerPositive { get; init; }

    /// <summary>Per class.</summary>
    public required IReadOnlyList<ClassSection> Classes { get; init; }

    /// <summary>Rows selected per group (with --group).</summary>
    public IReadOnlyDictionary<string, long>? SelectedPerGroup { get; init; }

    /// <summary>Rows dropped by NMS, quota, ratio and candidate cap.</summary>
    public required IReadOnlyDictionary<string, long> Dropped { get; init; }

    /// <summary>Milliseconds spent scoring and selecting.</summary>
    public required double ScoringMilliseconds { get; init; }

    /// <summary>Milliseconds spent selecting.</summary>
    public required double SelectionMilliseconds { get; init; }

    /// <summary>Passes over the data.</summary>
    public required int Passes { get; init; }

    /// <summary>One class of the report.</summary>
    public sealed record ClassSection
    {
        /// <summary>negative or positive.</summary>
        public required string Class { get; init; }

        /// <summary>Rows with a valid loss.</summary>
        public required long Rows { get; init; }

        /// <summary>The resolved budget.</summary>
        public required long Budget { get; init; }

        /// <summary>Selected as hard.</summary>
        public required long SelectedHard { get; init; }

        /// <summary>Drawn at random.</summary>
        public required long SelectedRandom { get; init; }

        /// <summary>Left out by the noise guard.</summary>
        public required long LeftOutAsNoise { get; init; }

        /// <summary>Loss statistics of the class from the report's histogram (all rows, or a 1-in-8 sample in top-k mode): min, p50, p90, p99, max, mean.</summary>
        public required IReadOnlyDictionary<string, double?> Loss { get; init; }

        /// <summary>Mean loss of the selected rows.</summary>
        public required double? SelectedMeanLoss { get; init; }

        /// <summary>The 64-bin loss histogram, all rows vs selected rows.</summary>
        public required LossHistogramSummary Histogram { get; init; }
    }

    /// <summary>Builds the document.</summary>
    /// <param name="input">The input path.</param>
    /// <param name="output">The output path.</param>
    /// <param name="scored">The scored input.</param>
    /// <param name="options">The options used.</param>
    /// <param name="result">The mining result.</param>
    public static MiningReportDocument Create(string input, string output, ScoredInput scored, IReadOnlyDictionary<string, string> options, MiningResult result)
    {
        var report = result.Report;
        var sections = ClassSections(result);
        return new MiningReportDocument
        {
            Input = input,
            Output = output,
            ScoreSource = scored.Description,
            Options = options,
            RowsScanned = report.RowsScanned,
            Selected = report.Selected,
            RowsWithInvalidScore = report.RowsWithInvalidScore,
            RowsWithMissingLabel = report.RowsWithMissingLabel,
            AchievedNegativesPerPositive = Finite(report.AchievedNegativesPerPositive),
            Classes = sections,
            SelectedPerGroup = report.SelectedPerGroup?.ToDictionary(kv => kv.Key, kv => kv.Value),
            Dropped = new Dictionary<string, long>
            {
                ["nms"] = report.SuppressedByNms,
                ["groupQuota"] = report.DroppedByGroupQuota,
                ["ratio"] = report.DroppedByRatio,
                ["candidateCap"] = report.DroppedByCandidateCap,
            },
            ScoringMilliseconds = report.ScoringTime.TotalMilliseconds,
            SelectionMilliseconds = report.SelectionTime.TotalMilliseconds,
            Passes = report.Passes,
        };
    }

    /// <summary>The per-class sections of a mining result: counts, loss statistics and the before/after histogram.</summary>
    /// <param name="result">The mining result.</param>
    public static IReadOnlyList<ClassSection> ClassSections(MiningResult result)
    {
        var report = result.Report;
        return report.Classes.Select(c =>
        {
            var selectedLosses = Enumerable.Range(0, result.SelectedPositions.Count).Where(i => result.ClassIndexes[i] == c.ClassIndex).Select(i => result.Losses[i]).ToArray();
            return new ClassSection
            {
                Class = report.IsBinary ? (c.ClassIndex == 1 ? "positive" : "negative") : $"class {c.ClassIndex}",
                Rows = c.Rows,
                Budget = c.Budget,
                SelectedHard = c.SelectedHard,
                SelectedRandom = c.SelectedRandom,
                LeftOutAsNoise = c.LeftOutAsNoise,
                Loss = new Dictionary<string, double?>
                {
                    ["min"] = Finite(c.Losses.Min),
                    ["p50"] = Finite(c.Losses.Quantile(0.5)),
                    ["p90"] = Finite(c.Losses.Quantile(0.9)),
                    ["p99"] = Finite(c.Losses.Quantile(0.99)),
                    ["max"] = Finite(c.Losses.Max),
                    ["mean"] = Finite(c.Losses.Mean),
                },
                SelectedMeanLoss = selectedLosses.Length == 0 ? null : selectedLosses.Average(),
                Histogram = LossHistogramSummary.Create(c.Losses, c.Rows, selectedLosses),
            };
        }).ToArray();
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
