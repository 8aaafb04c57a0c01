using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.ML.HardMining.Cli.Csv;
using Microsoft.ML.HardMining.Cli.Infrastructure;
using Microsoft.ML.HardMining.Cli.Plots;
using Microsoft.ML.HardMining.Cli.Reports;
using Microsoft.ML.HardMining.Cli.Scoring;
using Microsoft.ML.HardMining.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.HardMining.Cli.Commands;

/// <summary><c>hardmine evaluate</c>: FPR and precision at target recalls, AUPRC and the PR curve of one or more models on a file.</summary>
/// <param name="cli">Where to write.</param>
public sealed class EvaluateCommand(CliContext cli) : Command<EvaluateCommand.Settings>
{
    /// <summary>Options of <c>hardmine evaluate</c>.</summary>
    public sealed class Settings : ScoreSourceSettings
    {
        /// <summary>The target recalls.</summary>
        [CommandOption("--recall <LIST>")]
        [Description("Target recalls, comma-separated. Default 0.95,0.99.")]
        [DefaultValue("0.95,0.99")]
        public string Recall { get; init; } = "0.95,0.99";

        /// <summary>The JSON report.</summary>
        [CommandOption("--json <FILE>")]
        [Description("Write the metrics and every PR curve point as JSON.")]
        public string? Json { get; init; }

        /// <summary>The PR curve CSV.</summary>
        [CommandOption("--curve <FILE>")]
        [Description("Write the PR curve points as CSV: source,threshold,recall,precision.")]
        public string? Curve { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        settings.CheckInputExists();
        var recalls = ParseRecalls(settings.Recall);
        var sources = settings.ScoreSources();
        if (sources.Count == 0)
            throw new CliException("Say what to evaluate: --model MODEL.zip, --onnx MODEL.onnx or --score-column NAME (each may be repeated to compare).");
        var paths = settings.ReadPaths();
        if (settings.Json is not null) paths.File($"--json '{settings.Json}'", settings.Json);
        if (settings.Curve is not null) paths.File($"--curve '{settings.Curve}'", settings.Curve);
        if (settings.PlotsDirectory is not null) paths.Folder("--plots", settings.PlotsDirectory, [PlotWriter.PrecisionRecallFile]);
        paths.Check();
        if (settings.Json is not null) AtomicFile.CheckWritable(settings.Json, "--json");
        if (settings.Curve is not null) AtomicFile.CheckWritable(settings.Curve, "--curve");
        if (settings.PlotsDirectory is not null) AtomicFile.CheckFolder(settings.PlotsDirectory, "--plots");

        var progress = new ProgressDisplay(cli, settings.Quiet);
        var table = progress.Run($"Reading {Path.GetFileName(settings.Input)}", p => CsvTable.Read(settings.Input, CsvTable.SeparatorFor(settings.Input, settings.Separator), p));
        var ml = new MLContext(seed: 0);
        var sections = new List<EvaluationDocument.Source>();
        foreach (var source in sources)
        {
            var scored = ScoredInputBuilder.Build(ml, table, source);
            var name = source.ModelPath is not null ? Path.GetFileName(source.ModelPath)
                : source.OnnxPath is not null ? Path.GetFileName(source.OnnxPath)
                : source.ScoreColumn ?? source.ProbabilityColumn!;
            var curve = progress.Run($"Scoring with {name}", _ => Curve(scored));
            sections.Add(EvaluationDocument.Source.From(name, curve, recalls));
        }
        var document = new EvaluationDocument(Path.GetFullPath(settings.Input), sections);

        var files = new List<(string, string, Action<Stream>)>();
        if (settings.Json is not null) files.Add((settings.Json, "--json", s => Reports.Json.Write(s, document)));
        if (settings.Curve is not null) files.Add((settings.Curve, "--curve", s => WriteCurve(s, document)));
        // The plot is written with the other files, all or nothing.
        var plotFiles = settings.PlotsDirectory is null ? [] : PlotWriter.PrecisionRecallFiles(settings.PlotsDirectory, document);
        if (settings.PlotsDirectory is not null) AtomicFile.CreateFolder(settings.PlotsDirectory, "--plots");
        files.AddRange(plotFiles);
        AtomicFile.WriteAll(files);
        var plots = plotFiles.Select(f => f.Path).ToList();

        if (!settings.Quiet || (settings.Json is null && settings.Curve is null)) Summarize(document, recalls, settings, plots);
        return ExitCodes.Ok;
    }

    private static BinaryScoreCurve Curve(ScoredInput scored)
    {
        try
        {
            return BinaryScoreCurve.Create(scored.Data, scored.LabelColumn, scored.ScoreColumn);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new CliException(LibraryErrors.Message(e), e);
        }
    }

    private static double[] ParseRecalls(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var recalls = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            // Written as the accepted range, so that NaN, which fails every comparison, is refused too.
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out recalls[i]) || recalls[i] is not (> 0 and <= 1))
                throw new CliException($"--recall '{text}': '{parts[i]}' is not a recall in (0, 1]; use e.g. 0.95,0.99.");
        if (recalls.Length == 0) throw new CliException("--recall needs at least one value, e.g. 0.95.");
        return recalls;
    }

    private static void WriteCurve(Stream stream, EvaluationDocument document)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write("source,threshold,recall,precision\n");
        foreach (var source in document.Sources)
            foreach (var p in source.PrecisionRecallCurve)
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"\"{source.Name.Replace("\"", "\"\"")}\",{p.Threshold:R},{p.Recall:R},{p.Precision:R}\n"));
    }

    private void Summarize(EvaluationDocument document, double[] recalls, Settings settings, IReadOnlyList<string> plots)
    {
        var ci = CultureInfo.InvariantCulture;
        var first = document.Sources[0];
        var grid = new Table().Title($"[bold]{Markup.Escape(Path.GetFileName(settings.Input))}[/]: {first.Rows.ToString("N0", ci)} rows, {first.Positives.ToString("N0", ci)} positive")
            .AddColumn("source");
        foreach (var r in recalls)
        {
            grid.AddColumn(new TableColumn($"FPR @ recall {r.ToString("G", ci)}").RightAligned());
            grid.AddColumn(new TableColumn($"precision @ recall {r.ToString("G", ci)}").RightAligned());
        }
        grid.AddColumn(new TableColumn("AUPRC").RightAligned()).AddColumn(new TableColumn("AUROC").RightAligned());
        foreach (var s in document.Sources)
        {
            var cells = new List<string> { Markup.Escape(s.Name) };
            foreach (var p in s.AtRecall) { cells.Add(p.FalsePositiveRate.ToString("P2", ci)); cells.Add(p.Precision.ToString("P2", ci)); }
            cells.Add(s.AreaUnderPrecisionRecallCurve.ToString("F4", ci));
            cells.Add(s.AreaUnderRocCurve.ToString("F4", ci));
            grid.AddRow(cells.ToArray());
        }
        cli.Console.Write(grid);
        if (settings.Json is not null) cli.Console.WriteLine($"Report: {settings.Json}");
        if (settings.Curve is not null) cli.Console.WriteLine($"Curve:  {settings.Curve}");
        foreach (var plot in plots) cli.Console.WriteLine($"Plot:   {plot}");
    }
}
