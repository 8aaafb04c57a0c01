using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.ML.HardMining.Cli.Csv;
using Microsoft.ML.HardMining.Cli.Infrastructure;
using Microsoft.ML.HardMining.Cli.Plots;
using Microsoft.ML.HardMining.Cli.Reports;
using Microsoft.ML.HardMining.Cli.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.HardMining.Cli.Commands;

/// <summary><c>hardmine mine</c>: the hardest rows of a CSV/TSV file, by a score column, an ML.NET model or an ONNX model.</summary>
/// <param name="cli">Where to write.</param>
public sealed class MineCommand(CliContext cli) : Command<MineCommand.Settings>
{
    /// <summary>The file columns added to each mined row unless <c>--no-annotations</c>.</summary>
    public static readonly string[] AnnotationColumns = ["mining_kind", "mining_loss"];

    /// <summary>Options of <c>hardmine mine</c>.</summary>
    public sealed class Settings : ScoreSourceSettings
    {
        /// <summary>The mined rows file.</summary>
        [CommandOption("-o|--output <FILE>")]
        [Description("The mined rows (header + selected rows verbatim, in file order). Default: INPUT's name with .mined before the extension.")]
        public string? Output { get; init; }

        /// <summary>The JSON report.</summary>
        [CommandOption("--report <FILE>")]
        [Description("The JSON report (counts per class, loss quantiles and histograms, options, timings). Default: OUTPUT's name with .report.json.")]
        public string? Report { get; init; }

        /// <summary>The negative budget.</summary>
        [CommandOption("--negatives <BUDGET>")]
        [Description("Negatives to keep, hard and random together: all, none, 20%, 0.2 or a row count such as 500. Default 20%.")]
        [DefaultValue("20%")]
        public string Negatives { get; init; } = "20%";

        /// <summary>The positive budget.</summary>
        [CommandOption("--positives <BUDGET>")]
        [Description("Positives to keep, as --negatives. Default all.")]
        [DefaultValue("all")]
        public string Positives { get; init; } = "all";

        /// <summary>Negatives per positive.</summary>
        [CommandOption("--ratio <N>")]
        [Description("At most N negatives per selected positive (SSD uses 3); 0 = no cap. Default 0.")]
        [DefaultValue(0.0)]
        public double Ratio { get; init; }

        /// <summary>The random share.</summary>
        [CommandOption("--random-share <SHARE>")]
        [Description("Share of each budget drawn at random from the easier rows, in [[0, 1]]. Default 0.25 (pure top-k is fragile: see docs/concepts.md).")]
        [DefaultValue(0.25)]
        public double RandomShare { get; init; } = 0.25;

        /// <summary>The noise guard.</summary>
        [CommandOption("--noise-guard <FRACTION>")]
        [Description("Leave out the hardest FRACTION of each class as probably mislabelled, in [[0, 1). Default 0.")]
        [DefaultValue(0.0)]
        public double NoiseGuard { get; init; }

        /// <summary>The loss ceiling.</summary>
        [CommandOption("--max-loss <LOSS>")]
        [Description("Leave out rows whose loss exceeds LOSS as probably mislabelled. Default none.")]
        public double? MaxLoss { get; init; }

        /// <summary>The per-row loss.</summary>
        [CommandOption("--loss <KIND>")]
        [Description("Per-row loss: logloss, hinge, squared or focal. Default logloss.")]
        [DefaultValue("logloss")]
        public string Loss { get; init; } = "logloss";

        /// <summary>The selection mode.</summary>
        [CommandOption("--mode <MODE>")]
        [Description("topk (the hardest first) or stochastic (drawn with probability rising with the loss percentile). Default topk.")]
        [DefaultValue("topk")]
        public string Mode { get; init; } = "topk";

        /// <summary>A group column.</summary>
        [CommandOption("--group <COLUMN>")]
        [Description("A group column (e.g. an image id or a sender) for per-group quotas.")]
        public string? Group { get; init; }

        /// <summary>The per-group quota.</summary>
        [CommandOption("--max-per-group <N>")]
        [Description("At most N hard rows per group (needs --group); the random share is drawn from the rest of each class. 0 = no quota. Default 0.")]
        [DefaultValue(0)]
        public int MaxPerGroup { get; init; }

        /// <summary>The seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the random share and of stochastic mode: the same seed gives the same rows. Default 0.")]
        [DefaultValue(0)]
        public int Seed { get; init; }

        /// <summary>No annotation columns.</summary>
        [CommandOption("--no-annotations")]
        [Description("Write the selected rows exactly as in the input, without the mining_kind and mining_loss columns.")]
        public bool NoAnnotations { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate()
        {
            // Each range says what is accepted, so that NaN, which fails every comparison, is refused too.
            if (RandomShare is not (>= 0 and <= 1)) return ValidationResult.Error($"--random-share must be in [0, 1], e.g. 0.25, not {Show(RandomShare)}");
            if (NoiseGuard is not (>= 0 and < 1)) return ValidationResult.Error($"--noise-guard must be in [0, 1), e.g. 0.01, not {Show(NoiseGuard)}");
            if (!(Ratio >= 0 && double.IsFinite(Ratio))) return ValidationResult.Error($"--ratio must be 0 (no cap) or a positive number, e.g. 3, not {Show(Ratio)}");
            if (MaxLoss is { } maxLoss && !(maxLoss > 0 && double.IsFinite(maxLoss)))
                return ValidationResult.Error($"--max-loss must be a positive number, not {Show(maxLoss)}");
            if (MaxPerGroup < 0) return ValidationResult.Error("--max-per-group must be 0 or more");
            if (MaxPerGroup > 0 && Group is null) return ValidationResult.Error("--max-per-group needs --group COLUMN");
            return base.Validate();
        }

        private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        settings.CheckInputExists();
        var options = BuildOptions(settings);
        // The miner's own error for this names its options object, which a shell user never sees.
        if (options.Negatives.AllowsNoRow && options.Positives.AllowsNoRow)
            throw new CliException($"--negatives {settings.Negatives} and --positives {settings.Positives} would select no row: give at least one of them a count, a percentage or all.");
        var output = settings.Output ?? DefaultOutput(settings.Input);
        var reportPath = settings.Report ?? DefaultReport(output);
        var paths = settings.ReadPaths()
            .File(settings.Output is null ? $"--output (by default) '{output}'" : $"--output '{output}'", output)
            .File(settings.Report is null ? $"--report (by default) '{reportPath}'" : $"--report '{reportPath}'", reportPath);
        if (settings.PlotsDirectory is not null) paths.Folder("--plots", settings.PlotsDirectory, PlotWriter.BinaryLossHistogramFiles);
        paths.Check();
        AtomicFile.CheckWritable(output, "--output");
        AtomicFile.CheckWritable(reportPath, "--report");
        if (settings.PlotsDirectory is not null) AtomicFile.CheckFolder(settings.PlotsDirectory, "--plots");

        var progress = new ProgressDisplay(cli, settings.Quiet);
        var table = progress.Run($"Reading {Path.GetFileName(settings.Input)}", p => CsvTable.Read(settings.Input, CsvTable.SeparatorFor(settings.Input, settings.Separator), p));
        if (!settings.NoAnnotations && AnnotationColumns.FirstOrDefault(table.Columns.Contains) is { } clash)
            throw new CliException($"'{settings.Input}' already has a column '{clash}' (a file mined before?): pass --no-annotations or rename it.");

        var ml = new MLContext(seed: settings.Seed);
        var scored = ScoredInputBuilder.Build(ml, table, settings.ToScoreSource(settings.Group));
        CheckBothClasses(table, settings);
        options.LabelColumnName = scored.LabelColumn;
        options.ScoreColumnName = scored.ScoreColumn;
        options.ProbabilityColumnName = scored.ProbabilityColumn;
        options.GroupColumnName = settings.Group;

        var result = progress.Run(options.Mode == SelectionMode.Stochastic ? "Scoring and mining (2 passes)" : "Scoring and mining", p =>
        {
            options.Progress = new MiningProgressSink(p);
            return Mine(ml, scored, options);
        });

        var optionText = new Dictionary<string, string>
        {
            ["label"] = settings.Label,
            ["negatives"] = options.Negatives.ToString(),
            ["positives"] = options.Positives.ToString(),
            ["negativesPerPositive"] = options.NegativesPerPositive.ToString(CultureInfo.InvariantCulture),
            ["randomShare"] = options.RandomShare.ToString(CultureInfo.InvariantCulture),
            ["noiseGuardFraction"] = options.NoiseGuardFraction.ToString(CultureInfo.InvariantCulture),
            ["maxLoss"] = options.MaxLoss?.ToString(CultureInfo.InvariantCulture) ?? "none",
            ["loss"] = options.Loss.ToString(),
            ["mode"] = options.Mode.ToString(),
            ["group"] = settings.Group ?? "none",
            ["maxPerGroup"] = options.MaxPerGroup.ToString(CultureInfo.InvariantCulture),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
        };
        var document = MiningReportDocument.Create(Path.GetFullPath(settings.Input), Path.GetFullPath(output), scored, optionText, result);
        // The plots are written with the rows and the report, all or nothing: a plot that fails leaves no mined file behind.
        var plotFiles = settings.PlotsDirectory is null ? [] : PlotWriter.LossHistogramFiles(settings.PlotsDirectory, document);
        if (settings.PlotsDirectory is not null) AtomicFile.CreateFolder(settings.PlotsDirectory, "--plots");
        AtomicFile.WriteAll(
        [
            (output, "--output", s => WriteMinedRows(s, table, result, !settings.NoAnnotations)),
            (reportPath, "--report", s => Json.Write(s, document)),
            .. plotFiles,
        ]);
        var plots = plotFiles.Select(f => f.Path).ToList();

        if (!settings.Quiet) Summarize(settings, output, reportPath, result, plots);
        return ExitCodes.Ok;
    }

    /// <summary>The default output path: the input's name with <c>.mined</c> before the extension, in the input's folder
    /// (relative when the input path is, so that the summary shows it as the user would write it).</summary>
    /// <param name="input">The input file.</param>
    public static string DefaultOutput(string input) =>
        Path.Combine(Path.GetDirectoryName(input) ?? "", Path.GetFileNameWithoutExtension(input) + ".mined" + Path.GetExtension(input));

    /// <summary>The default report path: the output's name with its extension replaced by <c>.report.json</c>, beside it.</summary>
    /// <param name="output">The mined rows file.</param>
    public static string DefaultReport(string output) =>
        Path.Combine(Path.GetDirectoryName(output) ?? "", Path.GetFileNameWithoutExtension(output) + ".report.json");

    // The miner refuses a file of one class too, but advises a library option (AllowSingleClass) the command line does not have.
    private static void CheckBothClasses(CsvTable table, Settings settings)
    {
        var labels = CsvColumnReader.ReadLabel(table, table.IndexOf(settings.Label, "--label"));
        var positives = labels.Count(l => l);
        if (positives == 0 || positives == labels.Length)
            throw new CliException($"--label '{settings.Label}': every row of '{settings.Input}' is {(positives == 0 ? "negative" : "positive")} ({labels.Length} rows); " +
                "mining needs both classes. Check that --label names the label column and that the file holds both classes.");
    }

    private static MiningResult Mine(MLContext ml, ScoredInput scored, HardExampleMiningOptions options)
    {
        try
        {
            return HardExampleMiner.Mine(ml, scored.Data, options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Data the miner rejects that the command line could not check first (a model that scores a row NaN, one that fails on a
            // row): its messages name the column and the fix.
            throw new CliException(LibraryErrors.Message(e), e);
        }
    }

    private static HardExampleMiningOptions BuildOptions(Settings settings) => new()
    {
        Negatives = BudgetParser.Parse(settings.Negatives, "--negatives"),
        Positives = BudgetParser.Parse(settings.Positives, "--positives"),
        NegativesPerPositive = settings.Ratio,
        RandomShare = settings.RandomShare,
        NoiseGuardFraction = settings.NoiseGuard,
        MaxLoss = settings.MaxLoss,
        MaxPerGroup = settings.MaxPerGroup,
        Seed = settings.Seed,
        Loss = settings.Loss.ToLowerInvariant() switch
        {
            "logloss" or "log-loss" or "log" => MiningLossKind.LogLoss,
            "hinge" => MiningLossKind.Hinge,
            "squared" => MiningLossKind.Squared,
            "focal" => MiningLossKind.Focal,
            _ => throw new CliException($"--loss '{settings.Loss}' is unknown: use logloss, hinge, squared or focal."),
        },
        Mode = settings.Mode.ToLowerInvariant() switch
        {
            "topk" or "top-k" => SelectionMode.TopK,
            "stochastic" => SelectionMode.Stochastic,
            _ => throw new CliException($"--mode '{settings.Mode}' is unknown: use topk or stochastic."),
        },
    };

    private static void WriteMinedRows(Stream stream, CsvTable table, MiningResult result, bool annotate)
    {
        // The header and the records are copied as the input's bytes (its encoding, byte order mark and line breaks, even
        // invalid UTF-8), so that without annotations the output is a byte-for-byte subset; the annotations go before each
        // record's own line break. Not disposed: that would close the caller's stream, which it still flushes to disk.
        var buffered = new BufferedStream(stream, 1 << 16);
        var utf8 = new UTF8Encoding(false);
        var sep = table.Separator;
        buffered.Write(table.ByteOrderMark.Span);
        buffered.Write(table.Header.RawBytes.Span);
        if (annotate) buffered.Write(utf8.GetBytes($"{sep}{AnnotationColumns[0]}{sep}{AnnotationColumns[1]}"));
        buffered.Write(table.Header.LineBreak.Span);
        for (var i = 0; i < result.SelectedPositions.Count; i++)
        {
            var record = table.Records[checked((int)result.SelectedPositions[i])];
            buffered.Write(record.RawBytes.Span);
            if (annotate)
            {
                var kind = result.Kinds[i] == SelectedRowKind.Hard ? "hard" : "random";
                buffered.Write(utf8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sep}{kind}{sep}{result.Losses[i]:R}")));
            }
            buffered.Write(record.LineBreak.Span);
        }
        buffered.Flush();
    }

    private void Summarize(Settings settings, string output, string reportPath, MiningResult result, IReadOnlyList<string> plots)
    {
        var report = result.Report;
        var ci = CultureInfo.InvariantCulture;
        var grid = new Table().Title($"Mined [bold]{Markup.Escape(Path.GetFileName(settings.Input))}[/]: {report.Selected.ToString("N0", ci)} of {report.RowsScanned.ToString("N0", ci)} rows")
            .AddColumn("class").AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("budget").RightAligned())
            .AddColumn(new TableColumn("hard").RightAligned()).AddColumn(new TableColumn("random").RightAligned()).AddColumn(new TableColumn("noise").RightAligned())
            .AddColumn(new TableColumn("loss p50").RightAligned()).AddColumn(new TableColumn("loss p99").RightAligned());
        foreach (var c in report.Classes)
            grid.AddRow(report.IsBinary ? (c.ClassIndex == 1 ? "positive" : "negative") : $"class {c.ClassIndex}",
                c.Rows.ToString("N0", ci), c.Budget.ToString("N0", ci), c.SelectedHard.ToString("N0", ci), c.SelectedRandom.ToString("N0", ci),
                c.LeftOutAsNoise.ToString("N0", ci), c.Losses.Quantile(0.5).ToString("G3", ci), c.Losses.Quantile(0.99).ToString("G3", ci));
        cli.Console.Write(grid);
        cli.Console.WriteLine($"Mined rows: {output}");
        cli.Console.WriteLine($"Report:     {reportPath}");
        foreach (var plot in plots) cli.Console.WriteLine($"Plot:       {plot}");
    }

    /// <summary>Turns the miner's row progress into a share of the whole run.</summary>
    private sealed class MiningProgressSink(IProgress<double> target) : IProgress<MiningProgress>
    {
        public void Report(MiningProgress value)
        {
            var inPass = value.TotalRows is > 0 and var total ? Math.Min(1, (double)value.RowsScanned / total) : 0;
            target.Report((value.Pass - 1 + inPass) / value.PassCount);
        }
    }
}
