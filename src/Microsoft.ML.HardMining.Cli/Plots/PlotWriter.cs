using Microsoft.ML.HardMining.Cli.Infrastructure;
using Microsoft.ML.HardMining.Cli.Reports;
using Microsoft.ML.HardMining.Evaluation;
using Microsoft.ML.HardMining.Trainers;
using ScottPlot;

namespace Microsoft.ML.HardMining.Cli.Plots;

/// <summary>Headless PNG plots (ScottPlot 5 over SkiaSharp) of mining reports, precision-recall curves and mining rounds.</summary>
public static class PlotWriter
{
    private const int Width = 900;
    private const int Height = 560;
    private static readonly Color[] Palette = [Color.FromHex("#7f7f7f"), Color.FromHex("#1f77b4"), Color.FromHex("#d62728"), Color.FromHex("#2ca02c"), Color.FromHex("#9467bd"), Color.FromHex("#ff7f0e")];

    /// <summary>One PNG per class: the loss histogram of all rows and of the selected rows (log count scale).</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="report">The mining report.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> LossHistograms(string directory, MiningReportDocument report)
    {
        var files = new List<string>();
        foreach (var section in report.Classes)
        {
            var plot = new Plot();
            var h = section.Histogram;
            var width = h.BinLowerEdges.Length > 1 ? Math.Log(1 + h.BinLowerEdges[1]) - Math.Log(1 + h.BinLowerEdges[0]) : 1;
            var last = Array.FindLastIndex(h.AllRows, c => c > 0);
            var bins = Math.Max(1, last + 1);
            var x = Enumerable.Range(0, bins).Select(i => Math.Log(1 + h.BinLowerEdges[i]) + width / 2).ToArray();
            AddBars(plot, x, h.AllRows.Take(bins).ToArray(), width, Palette[0].WithAlpha(0.55), $"all {section.Class} rows ({section.Rows:N0})");
            AddBars(plot, x, h.SelectedRows.Take(bins).ToArray(), width * 0.6, Palette[section.Class == "positive" ? 1 : 2],
                $"mined ({section.SelectedHard:N0} hard + {section.SelectedRandom:N0} random)");
            LogCountAxis(plot);
            plot.Title($"Loss of the {section.Class} rows before and after mining");
            plot.XLabel("ln(1 + loss)");
            plot.YLabel("rows (log scale)");
            plot.ShowLegend(Alignment.UpperRight);
            plot.Axes.SetLimitsX(0, x[^1] + width);
            files.Add(Save(plot, directory, $"loss-histogram-{section.Class}.png"));
        }
        return files;
    }

    /// <summary>The precision-recall curves of every source of an evaluation, on one plot.</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="evaluation">The evaluation.</param>
    /// <returns>The file written.</returns>
    public static IReadOnlyList<string> PrecisionRecall(string directory, EvaluationDocument evaluation) =>
        [PrecisionRecall(directory, "pr-curve.png", $"Precision-recall on {Path.GetFileName(evaluation.Input)}",
            evaluation.Sources.Select(s => (s.Name, s.AreaUnderPrecisionRecallCurve, s.PrecisionRecallCurve)).ToArray())];

    /// <summary>Precision-recall curves of several models on one plot, with their AUPRC in the legend.</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="fileName">The PNG's file name.</param>
    /// <param name="title">The title.</param>
    /// <param name="curves">Name, AUPRC and points of each curve.</param>
    /// <returns>The file written.</returns>
    public static string PrecisionRecall(string directory, string fileName, string title, IReadOnlyList<(string Name, double Auprc, IReadOnlyList<PrecisionRecallPoint> Points)> curves)
    {
        var plot = new Plot();
        for (var i = 0; i < curves.Count; i++)
        {
            var (name, auprc, points) = curves[i];
            // A step curve: recall rises at each distinct threshold; start at recall 0 with the first point's precision.
            var recall = new List<double> { 0 };
            var precision = new List<double> { points.Count > 0 ? points[0].Precision : 1 };
            foreach (var p in points) { recall.Add(p.Recall); precision.Add(p.Precision); }
            var line = plot.Add.ScatterLine(recall.ToArray(), precision.ToArray());
            line.Color = Palette[(i + 1) % Palette.Length];
            line.LineWidth = 2;
            line.LegendText = $"{name} (AUPRC {auprc:F4})";
        }
        var marker = plot.Add.VerticalLine(0.95);
        marker.Color = Colors.Black.WithAlpha(0.4);
        marker.LinePattern = LinePattern.Dashed;
        marker.LegendText = "recall 0.95";
        plot.Title(title);
        plot.XLabel("recall");
        plot.YLabel("precision");
        plot.Axes.SetLimits(0, 1.01, Math.Max(0, curves.SelectMany(c => c.Points).Where(p => p.Recall >= 0.5).Select(p => p.Precision).DefaultIfEmpty(0).Min() - 0.05), 1.01);
        plot.ShowLegend(Alignment.LowerLeft);
        return Save(plot, directory, fileName);
    }

    /// <summary>The per-round history of a mining trainer: rows trained on per class and new hard rows (one PNG), pool loss quantiles (another).</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="history">The trainer's history.</param>
    /// <param name="title">The title.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> RoundHistory(string directory, HardMiningHistory history, string title)
    {
        var rounds = history.Rounds.Select(r => (double)r.Round).ToArray();
        var rows = new Plot();
        var classes = history.Rounds.Count == 0 ? 0 : history.Rounds.Max(r => r.TrainingRowsPerClass.Count);
        for (var c = 0; c < classes; c++)
        {
            var cls = c;
            var line = rows.Add.Scatter(rounds, history.Rounds.Select(r => cls < r.TrainingRowsPerClass.Count ? (double)r.TrainingRowsPerClass[cls] : double.NaN).ToArray());
            line.Color = Palette[(c + 1) % Palette.Length];
            line.LineWidth = 2;
            line.LegendText = classes == 2 ? (c == 0 ? "negatives trained on" : "positives trained on") : $"class {c} trained on";
        }
        var added = rows.Add.Scatter(rounds, history.Rounds.Select(r => (double)r.NewHardExamples).ToArray());
        added.Color = Palette[3];
        added.LineWidth = 2;
        added.LegendText = "new hard rows found by this round's model";
        rows.Title($"{title}: rows per round");
        rows.XLabel($"round (stopped: {history.StopReason})");
        rows.YLabel("rows");
        rows.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        rows.ShowLegend(Alignment.UpperLeft);

        var losses = new Plot();
        foreach (var (label, pick, color) in new (string, Func<HardMiningRound, double>, Color)[]
        {
            ("pool loss p50", r => r.LossP50, Palette[1]), ("pool loss p90", r => r.LossP90, Palette[4]), ("pool loss p99", r => r.LossP99, Palette[2]),
        })
        {
            var line = losses.Add.Scatter(rounds, history.Rounds.Select(pick).ToArray());
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = label;
        }
        losses.Title($"{title}: loss of the mined pool under each round's model");
        losses.XLabel(history.Verdict);
        losses.YLabel("loss");
        losses.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        losses.ShowLegend(Alignment.UpperRight);
        return [Save(rows, directory, "mining-rounds-rows.png"), Save(losses, directory, "mining-rounds-loss.png")];
    }

    private static void AddBars(Plot plot, double[] x, long[] counts, double width, Color color, string legend)
    {
        var bars = x.Select((xi, i) => new Bar
        {
            Position = xi,
            Value = counts[i] > 0 ? Math.Log10(counts[i]) + 1 : 0,
            ValueBase = 0,
            Size = width,
            FillColor = color,
            LineWidth = 0,
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.LegendText = legend;
        plottable.Color = color;
    }

    // Bars hold 1 + log10(count) so that a single row still shows; ticks are labelled with the counts.
    private static void LogCountAxis(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = y => y < 1 ? "0" : Math.Pow(10, y - 1).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Margins(bottom: 0);
    }

    private static string Save(Plot plot, string directory, string fileName)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--plots '{directory}' cannot be created: {e.Message}", e);
        }
        var path = Path.Combine(directory, fileName);
        var bytes = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.WriteAll([(path, "--plots", s => s.Write(bytes))]);
        return path;
    }
}
