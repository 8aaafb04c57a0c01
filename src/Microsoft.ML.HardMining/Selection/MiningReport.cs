using System.Globalization;
using System.Text;

namespace Microsoft.ML.HardMining;

/// <summary>What a mining run saw and chose: per class, per group, losses, and where the time went.</summary>
public sealed class MiningReport
{
    internal MiningReport(MiningSelection selection, long rowsScanned, long rowsWithInvalidScore, long rowsWithMissingLabel,
        TimeSpan scoringTime, TimeSpan selectionTime, int passes)
    {
        RowsScanned = rowsScanned;
        RowsWithInvalidScore = rowsWithInvalidScore;
        RowsWithMissingLabel = rowsWithMissingLabel;
        Classes = selection.Classes;
        SelectedPerGroup = selection.SelectedPerGroup;
        SuppressedByNms = selection.GroupCounters.SuppressedByNms;
        DroppedByGroupQuota = selection.GroupCounters.DroppedByGroupQuota;
        DroppedByRatio = selection.GroupCounters.DroppedByRatio;
        DroppedByCandidateCap = selection.GroupCounters.DroppedByCandidateCap;
        ScoringTime = scoringTime;
        SelectionTime = selectionTime;
        Passes = passes;
        IsBinary = selection.IsBinary;
    }

    /// <summary>Rows read from the data view (in the last pass).</summary>
    public long RowsScanned { get; }

    /// <summary>Rows left out because their score, probability or loss was NaN or infinite (<see cref="InvalidScorePolicy.Skip"/>).</summary>
    public long RowsWithInvalidScore { get; }

    /// <summary>Rows left out because their label was missing (NaN or key 0).</summary>
    public long RowsWithMissingLabel { get; }

    /// <summary>Per class: rows, selected hard and random, left out as noise, and the loss histogram. Index 0 = negatives, 1 = positives for a binary label.</summary>
    public IReadOnlyList<ClassReport> Classes { get; }

    /// <summary>Whether the label was binary.</summary>
    public bool IsBinary { get; }

    /// <summary>Rows selected in each group (grouped mode), in order of first appearance; null without a group column.</summary>
    public IReadOnlyList<KeyValuePair<string, long>>? SelectedPerGroup { get; }

    /// <summary>Rows dropped because a harder box overlapped them (NMS by loss).</summary>
    public long SuppressedByNms { get; }

    /// <summary>Rows dropped by the per-group quota.</summary>
    public long DroppedByGroupQuota { get; }

    /// <summary>Negatives dropped by the per-group negatives-per-positive cap.</summary>
    public long DroppedByRatio { get; }

    /// <summary>Rows of groups with more than <see cref="HardExampleMiningOptions.MaxCandidatesPerGroup"/> candidates that were dropped before NMS.</summary>
    public long DroppedByCandidateCap { get; }

    /// <summary>Time spent reading rows and computing scores (the scorer runs lazily inside the cursor) and losses.</summary>
    public TimeSpan ScoringTime { get; }

    /// <summary>Time spent in selection (heaps, groups, assembly).</summary>
    public TimeSpan SelectionTime { get; }

    /// <summary>Passes made over the data.</summary>
    public int Passes { get; }

    /// <summary>Rows selected in all.</summary>
    public long Selected => Classes.Sum(c => c.Selected);

    /// <summary>Selected negatives per selected positive (binary), NaN without positives.</summary>
    public double AchievedNegativesPerPositive => IsBinary && Classes[1].Selected > 0 ? (double)Classes[0].Selected / Classes[1].Selected : double.NaN;

    /// <summary>A few readable lines: counts per class, ratio and loss quantiles.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"scanned {RowsScanned:N0} rows in {Passes} pass(es); selected {Selected:N0}; invalid scores {RowsWithInvalidScore:N0}; missing labels {RowsWithMissingLabel:N0}");
        foreach (var c in Classes)
        {
            var name = IsBinary ? (c.ClassIndex == 1 ? "positives" : "negatives") : $"class {c.ClassIndex}";
            sb.AppendLine(ci, $"  {name}: {c.Rows:N0} rows, budget {c.Budget:N0}, hard {c.SelectedHard:N0}, random {c.SelectedRandom:N0}, noise {c.LeftOutAsNoise:N0}; loss p50 {c.Losses.Quantile(0.5):G3} p90 {c.Losses.Quantile(0.9):G3} p99 {c.Losses.Quantile(0.99):G3} max {c.Losses.Max:G3}");
        }
        if (IsBinary) sb.AppendLine(ci, $"  negatives per positive: {AchievedNegativesPerPositive:G3}");
        if (SelectedPerGroup is not null)
            sb.AppendLine(ci, $"  groups {SelectedPerGroup.Count:N0}; NMS suppressed {SuppressedByNms:N0}; quota dropped {DroppedByGroupQuota:N0}; ratio dropped {DroppedByRatio:N0}; candidate cap dropped {DroppedByCandidateCap:N0}");
        sb.Append(ci, $"  time: scoring {ScoringTime.TotalMilliseconds:N0} ms, selecting {SelectionTime.TotalMilliseconds:N0} ms");
        return sb.ToString();
    }
}
