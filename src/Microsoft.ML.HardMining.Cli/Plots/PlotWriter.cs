using System.Globalization;
using Microsoft.ML.HardMining.Cli.Infrastructure;
using Microsoft.ML.HardMining.Cli.Reports;
using Microsoft.ML.HardMining.Evaluation;
using Microsoft.ML.HardMining.Trainers;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;

namespace Microsoft.ML.HardMining.Cli.Plots;

/// <summary>Headless PNG plots (OxyPlot over SkiaSharp 2.88) of mining reports, precision-recall curves and mining rounds.</summary>
public static class PlotWriter
{
    private const int Width = 900;
    private const int Height = 560;
    private static readonly OxyColor[] Palette =
        [OxyColor.Parse("#7f7f7f"), OxyColor.Parse("#1f77b4"), OxyColor.Parse("#d62728"), OxyColor.Parse("#2ca02c"), OxyColor.Parse("#9467bd"), OxyColor.Parse("#ff7f0e")];

    /// <summary>The file <see cref="PrecisionRecall(string, EvaluationDocument)"/> writes in its folder.</summary>
    internal const string PrecisionRecallFile = "pr-curve.png";

    /// <summary>The files <see cref="LossHistograms(string, MiningReportDocument)"/> writes in its folder for a binary label.</summary>
    internal static readonly IReadOnlyList<string> BinaryLossHistogramFiles = [LossHistogramFile("negative"), LossHistogramFile("positive")];

    /// <summary>One PNG per class: the loss histogram of all rows and of the selected rows (log count scale).</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="report">The mining report.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> LossHistograms(string directory, MiningReportDocument report) => LossHistograms(directory, report.Classes, "", deferred: null);

    /// <summary>The files <see cref="LossHistograms(string, MiningReportDocument)"/> would write, not yet written: a command
    /// writes them together with its other outputs, all or nothing (<see cref="AtomicFile.WriteAll"/>).</summary>
    /// <param name="directory">The folder; the caller creates it.</param>
    /// <param name="report">The mining report.</param>
    internal static IReadOnlyList<(string Path, string Option, Action<Stream> Write)> LossHistogramFiles(string directory, MiningReportDocument report)
    {
        var deferred = new List<(string, string, Action<Stream>)>();
        LossHistograms(directory, report.Classes, "", deferred);
        return deferred;
    }

    /// <summary>One PNG per class, <c>PREFIXloss-histogram-CLASS.png</c>: the loss histogram of all rows and of the rows a mining run selected.</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="result">The mining result (e.g. <c>HardExampleMiningTransformer.Result</c>).</param>
    /// <param name="filePrefix">Prepended to the file names, e.g. <c>spam-</c>.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> LossHistograms(string directory, MiningResult result, string filePrefix = "") =>
        LossHistograms(directory, MiningReportDocument.ClassSections(result), filePrefix, deferred: null);

    private static string LossHistogramFile(string className) => $"loss-histogram-{className}.png";

    private static IReadOnlyList<string> LossHistograms(string directory, IReadOnlyList<MiningReportDocument.ClassSection> sections, string filePrefix,
        List<(string, string, Action<Stream>)>? deferred)
    {
        var files = new List<string>();
        foreach (var section in sections)
        {
            var h = section.Histogram;
            var last = Math.Max(Array.FindLastIndex(h.HistogramRows, c => c > 0), Array.FindLastIndex(h.SelectedRows, c => c > 0));
            var bins = Math.Max(1, last + 1);
            // x = log2(1 + loss): the miner's bins are a fixed share of an octave of 1 + loss.
            var lo = h.BinLowerEdges.Take(bins).Select(e => Math.Log2(1 + e)).ToArray();
            var hi = h.BinUpperEdges.Take(bins).Select(e => Math.Log2(1 + e)).ToArray();
            var model = NewModel($"Loss of the {section.Class} rows before and after mining", LegendPosition.TopRight);
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "log2(1 + loss)", Minimum = 0, Maximum = hi[^1], MajorGridlineStyle = LineStyle.Dot });
            model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = "rows (log scale)", Minimum = 0.7, MajorGridlineStyle = LineStyle.Dot });
            var sampled = h.HistogramRows.Sum() < section.Rows;
            model.Series.Add(Bars($"all {section.Class} rows ({section.Rows:N0}{(sampled ? ", estimated from a 1-in-8 sample" : "")})",
                Palette[0].ChangeIntensity(1.4), lo, hi, h.EstimatedRows, 0));
            model.Series.Add(Bars($"mined ({section.SelectedHard:N0} hard + {section.SelectedRandom:N0} random)",
                Palette[section.Class == "positive" ? 1 : 2], lo, hi, h.SelectedRows.Select(c => (double)c).ToArray(), 0.2));
            files.Add(Save(model, directory, filePrefix + LossHistogramFile(section.Class), deferred));
        }
        return files;
    }

    /// <summary>The precision-recall curves of every source of an evaluation, on one plot.</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="evaluation">The evaluation.</param>
    /// <returns>The file written.</returns>
    public static IReadOnlyList<string> PrecisionRecall(string directory, EvaluationDocument evaluation) => [PrecisionRecall(directory, evaluation, deferred: null)];

    /// <summary>The file <see cref="PrecisionRecall(string, EvaluationDocument)"/> would write, not yet written (see
    /// <see cref="LossHistogramFiles"/>).</summary>
    /// <param name="directory">The folder; the caller creates it.</param>
    /// <param name="evaluation">The evaluation.</param>
    internal static IReadOnlyList<(string Path, string Option, Action<Stream> Write)> PrecisionRecallFiles(string directory, EvaluationDocument evaluation)
    {
        var deferred = new List<(string, string, Action<Stream>)>();
        PrecisionRecall(directory, evaluation, deferred);
        return deferred;
    }

    private static string PrecisionRecall(string directory, EvaluationDocument evaluation, List<(string, string, Action<Stream>)>? deferred) =>
        PrecisionRecall(directory, PrecisionRecallFile, $"Precision-recall on {Path.GetFileName(evaluation.Input)}",
            evaluation.Sources.Select(s => (s.Name, s.AreaUnderPrecisionRecallCurve, s.PrecisionRecallCurve)).ToArray(), deferred);

    /// <summary>Precision-recall curves of several models on one plot, with their AUPRC in the legend.</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="fileName">The PNG's file name.</param>
    /// <param name="title">The title.</param>
    /// <param name="curves">Name, AUPRC and points of each curve.</param>
    /// <returns>The file written.</returns>
    public static string PrecisionRecall(string directory, string fileName, string title, IReadOnlyList<(string Name, double Auprc, IReadOnlyList<PrecisionRecallPoint> Points)> curves) =>
        PrecisionRecall(directory, fileName, title, curves, deferred: null);

    private static string PrecisionRecall(string directory, string fileName, string title, IReadOnlyList<(string Name, double Auprc, IReadOnlyList<PrecisionRecallPoint> Points)> curves,
        List<(string, string, Action<Stream>)>? deferred)
    {
        var model = NewModel(title, LegendPosition.BottomLeft);
        var floor = curves.SelectMany(c => c.Points).Where(p => p.Recall >= 0.5).Select(p => p.Precision).DefaultIfEmpty(0).Min();
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "recall", Minimum = 0, Maximum = 1.005, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "precision", Minimum = Math.Max(0, floor - 0.05), Maximum = 1.005, MajorGridlineStyle = LineStyle.Dot });
        for (var i = 0; i < curves.Count; i++)
        {
            var (name, auprc, points) = curves[i];
            var line = new LineSeries { Title = $"{name} (AUPRC {auprc.ToString("F4", CultureInfo.InvariantCulture)})", Color = Palette[(i + 1) % Palette.Length], StrokeThickness = 2 };
            line.Points.Add(new DataPoint(0, points.Count > 0 ? points[0].Precision : 1));
            foreach (var p in points) line.Points.Add(new DataPoint(p.Recall, p.Precision));
            model.Series.Add(line);
        }
        model.Annotations.Add(new LineAnnotation { Type = LineAnnotationType.Vertical, X = 0.95, Color = OxyColor.FromAColor(120, OxyColors.Black), LineStyle = LineStyle.Dash, Text = "recall 0.95" });
        return Save(model, directory, fileName, deferred);
    }

    /// <summary>The per-round history of a mining trainer: rows trained on per class and new hard rows (one PNG), pool loss quantiles (another).</summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="history">The trainer's history.</param>
    /// <param name="title">The title.</param>
    /// <param name="filePrefix">Prepended to the file names, e.g. <c>mnist-</c>.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> RoundHistory(string directory, HardMiningHistory history, string title, string filePrefix = "")
    {
        var rows = NewModel($"{title}: rows per round", LegendPosition.TopLeft);
        rows.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = $"round (stopped: {history.StopReason})", MajorStep = 1, MinorStep = 1, MajorGridlineStyle = LineStyle.Dot });
        rows.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "rows", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        var classes = history.Rounds.Count == 0 ? 0 : history.Rounds.Max(r => r.TrainingRowsPerClass.Count);
        for (var c = 0; c < classes; c++)
        {
            var cls = c;
            rows.Series.Add(Line(classes == 2 ? (c == 0 ? "negatives trained on" : "positives trained on") : $"class {c} trained on", Palette[(c + 1) % Palette.Length],
                history.Rounds.Where(r => cls < r.TrainingRowsPerClass.Count).Select(r => new DataPoint(r.Round, r.TrainingRowsPerClass[cls]))));
        }
        rows.Series.Add(Line("new hard rows found by the round's model", Palette[3], history.Rounds.Select(r => new DataPoint(r.Round, r.NewHardExamples))));

        var losses = NewModel($"{title}: loss of the mined pool under each round's model", LegendPosition.TopRight);
        losses.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = history.Verdict, MajorStep = 1, MinorStep = 1, MajorGridlineStyle = LineStyle.Dot });
        losses.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "loss", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        foreach (var (label, pick, color) in new (string, Func<HardMiningRound, double>, OxyColor)[]
        {
            ("pool loss p50", r => r.LossP50, Palette[1]), ("pool loss p90", r => r.LossP90, Palette[4]), ("pool loss p99", r => r.LossP99, Palette[2]),
        })
            losses.Series.Add(Line(label, color, history.Rounds.Where(r => double.IsFinite(pick(r))).Select(r => new DataPoint(r.Round, pick(r)))));
        return [Save(rows, directory, $"{filePrefix}mining-rounds-rows.png"), Save(losses, directory, $"{filePrefix}mining-rounds-loss.png")];
    }

    private static PlotModel NewModel(string title, LegendPosition legend)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White, TitleFontSize = 16, DefaultFontSize = 13 };
        model.Legends.Add(new Legend
        {
            LegendPosition = legend,
            LegendPlacement = LegendPlacement.Inside,
            LegendBackground = OxyColor.FromAColor(220, OxyColors.White),
            LegendBorder = OxyColors.Gray,
        });
        return model;
    }

    private static LineSeries Line(string title, OxyColor color, IEnumerable<DataPoint> points)
    {
        var line = new LineSeries { Title = title, Color = color, StrokeThickness = 2, MarkerType = MarkerType.Circle, MarkerSize = 4, MarkerFill = color };
        line.Points.AddRange(points);
        return line;
    }

    // One rectangle per non-empty bin, from the axis floor to the count; inset narrows the bar inside its bin.
    private static RectangleBarSeries Bars(string title, OxyColor color, double[] lo, double[] hi, double[] counts, double inset)
    {
        var series = new RectangleBarSeries { Title = title, FillColor = color, StrokeThickness = 0 };
        for (var i = 0; i < lo.Length; i++)
        {
            if (counts[i] <= 0) continue;
            var pad = (hi[i] - lo[i]) * inset;
            series.Items.Add(new RectangleBarItem(lo[i] + pad, 0.7, hi[i] - pad, counts[i]));
        }
        return series;
    }

    // Writes the plot now, or, given a list, only adds it there for the caller to write with its other outputs.
    private static string Save(PlotModel model, string directory, string fileName, List<(string, string, Action<Stream>)>? deferred = null)
    {
        var path = Path.Combine(directory, fileName);
        // No text shaping: it needs HarfBuzz's native library, and plot labels are plain Latin text.
        var exporter = new PngExporter { Width = Width, Height = Height, UseTextShaping = false };
        if (deferred is not null)
        {
            deferred.Add((path, "--plots", s => exporter.Export(model, s)));
            return path;
        }
        AtomicFile.CreateFolder(directory, "--plots");
        AtomicFile.WriteAll([(path, "--plots", s => exporter.Export(model, s))]);
        return path;
    }
}
