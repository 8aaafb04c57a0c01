using System.ComponentModel;
using System.Globalization;
using Microsoft.ML.HardMining.Cli.Demo;
using Microsoft.ML.HardMining.Cli.Infrastructure;
using Microsoft.ML.HardMining.Cli.Plots;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.HardMining.Cli.Commands;

/// <summary><c>hardmine demo</c>: baseline vs hard-mined models on real data, side by side.</summary>
/// <param name="cli">Where to write.</param>
public sealed class DemoCommand(CliContext cli) : Command<DemoCommand.Settings>
{
    /// <summary>Options of the demo.</summary>
    public sealed class Settings : CommonSettings
    {
        /// <summary>mnist or spam.</summary>
        [CommandOption("--dataset <NAME>")]
        [Description("Real data set: mnist (9 vs rest) or spam (SpamAssassin). Default mnist.")]
        [DefaultValue("mnist")]
        public string Dataset { get; init; } = "mnist";

        /// <summary>fasttree, lightgbm or sdca.</summary>
        [CommandOption("--trainer <NAME>")]
        [Description("Inner trainer: fasttree, lightgbm or sdca. Default fasttree.")]
        [DefaultValue("fasttree")]
        public string Trainer { get; init; } = "fasttree";

        /// <summary>The negative budget.</summary>
        [CommandOption("--budget <FRACTION>")]
        [Description("Share of the training negatives each budgeted method trains on. Default 0.2.")]
        [DefaultValue(0.2)]
        public double Budget { get; init; } = 0.2;

        /// <summary>The seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the split, the random share and the trainers. Default 1.")]
        [DefaultValue(1)]
        public int Seed { get; init; } = 1;

        /// <summary>Where to write the plots, if anywhere.</summary>
        [CommandOption("--plots <DIR>")]
        [Description("Write PNG plots there: PR curves of every method, loss histograms of the mined negatives, the offline trainer's rounds.")]
        public string? Plots { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Budget is > 0 and < 1 ? ValidationResult.Success() : ValidationResult.Error("--budget must be in (0, 1), e.g. 0.2");
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var ml = new MLContext(seed: settings.Seed);
        var console = cli.Console;
        if (settings.Dataset is not ("mnist" or "spam"))
            throw new CliException($"--dataset '{settings.Dataset}' is unknown: use mnist or spam.");
        if (settings.Trainer is not ("fasttree" or "lightgbm" or "sdca"))
            throw new CliException($"--trainer '{settings.Trainer}' is unknown: use fasttree, lightgbm or sdca.");
        IReadOnlyList<DemoResult> results = [];
        DemoDataset? data = null;
        void Run(Action<string> status)
        {
            status("Loading real data...");
            data = settings.Dataset == "mnist" ? DemoDataset.Mnist(ml, settings.Seed) : DemoDataset.Spam(ml, settings.Seed);
            var runner = new DemoRunner(ml, data, settings.Trainer, settings.Budget, settings.Seed, new ProgressLine(s => status($"Training: {s}...")));
            results = runner.Run();
        }
        if (cli.CanShowProgress && !settings.Quiet)
            console.Status().Start("Loading real data...", ctx => Run(s => ctx.Status(Markup.Escape(s))));
        else
            Run(_ => { });

        var ci = CultureInfo.InvariantCulture;
        var table = new Table().Title($"[bold]{Markup.Escape(data!.Description)}[/], trainer [bold]{settings.Trainer}[/], seed {settings.Seed}")
            .AddColumn("method").AddColumn(new TableColumn("train rows").RightAligned())
            .AddColumn(new TableColumn("FPR @ recall 0.95").RightAligned()).AddColumn(new TableColumn("precision @ recall 0.95").RightAligned())
            .AddColumn(new TableColumn("AUPRC").RightAligned()).AddColumn(new TableColumn("train time").RightAligned());
        foreach (var r in results)
            table.AddRow(Markup.Escape(r.Method), r.TrainRows.ToString("N0", ci), r.FprAtRecall95.ToString("P2", ci), r.PrecisionAtRecall95.ToString("P2", ci),
                r.Auprc.ToString("F4", ci), $"{r.TrainTime.TotalSeconds.ToString("F1", ci)} s");
        console.Write(table);
        console.MarkupLine($"Test set: {data.Test.GetRowCount():N0} rows. Lower FPR at a fixed recall means fewer false positives for the same catch rate.");
        if (settings.Plots is { } dir)
        {
            var written = new List<string>
            {
                PlotWriter.PrecisionRecall(dir, "demo-pr-curves.png", $"{data.Name}, {settings.Trainer}: test-set precision-recall",
                    results.Where(r => r.Curve is not null).Select(r => (r.Method, r.Auprc, r.Curve!.PrecisionRecallCurve())).ToArray()),
            };
            foreach (var r in results)
            {
                if (r.Mining is { } mining) written.AddRange(PlotWriter.LossHistograms(dir, mining, "demo-"));
                if (r.History is { } history) written.AddRange(PlotWriter.RoundHistory(dir, history, $"{data.Name}, {settings.Trainer}", "demo-"));
            }
            console.MarkupLine($"Plots: {Markup.Escape(string.Join(", ", written))}");
        }
        return 0;
    }

    /// <summary>Reports synchronously (a <see cref="Progress{T}"/> would post to the thread pool and could report after the step ended).</summary>
    private sealed class ProgressLine(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
