using Microsoft.ML.HardMining.Cli.Commands;
using Microsoft.ML.HardMining.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.HardMining.Cli;

/// <summary>
/// The <c>hardmine</c> command line: builds the commands and turns every failure into one error line and an exit code
/// (<see cref="ExitCodes"/>): 0 ok, 1 bad input, 2 unexpected. <c>--verbose</c> adds the stack trace.
/// </summary>
public static class HardmineApp
{
    // The settings of each command added below, for the option check that runs before Spectre parses the command line.
    private static readonly Dictionary<string, Type> SettingsTypes = new(StringComparer.Ordinal)
    {
        ["mine"] = typeof(MineCommand.Settings),
        ["evaluate"] = typeof(EvaluateCommand.Settings),
        ["demo"] = typeof(DemoCommand.Settings),
    };

    /// <summary>Runs <c>hardmine</c> with <paramref name="args"/>.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="cli">Where to write; <see cref="CliContext.ForProcess"/> for the real tool, <see cref="CliContext.ForWriters"/> in tests.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, CliContext cli)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(cli);
        var verbose = args.Any(a => a is "--verbose" or "-v");
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("hardmine");
            config.ConfigureConsole(cli.Console);
            config.Settings.Registrar.RegisterInstance<CliContext>(cli);
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.AddExample("mine", "train.csv", "--model", "first-model.zip", "--negatives", "20%", "-o", "hard.csv");
            config.AddExample("evaluate", "test.csv", "--model", "baseline.zip", "--model", "mined.zip", "--plots", "plots");

            config.AddCommand<MineCommand>("mine")
                .WithDescription("Select the hardest rows of a CSV/TSV file (all positives and the hardest negatives by default) scored by a score column, " +
                    "an ML.NET model or an ONNX model. Writes the mined rows (atomically) and a JSON report. " +
                    "Exit codes: 0 ok, 1 bad input (missing file, unreadable row, unknown column, wrong model kind, unwritable output), 2 unexpected.")
                .WithExample("mine", "train.csv", "--model", "first-model.zip", "--negatives", "20%", "-o", "hard.csv")
                .WithExample("mine", "scored.tsv", "--score-column", "Score", "--negatives", "5000", "--random-share", "0.25", "--noise-guard", "0.01", "--seed", "7")
                .WithExample("mine", "digits.csv", "--onnx", "model.onnx", "--features", "Pixel", "--ratio", "3", "--plots", "plots")
                .WithExample("mine", "mails.csv", "--model", "spam.zip", "--group", "Sender", "--max-per-group", "20", "--quiet");
            config.AddCommand<EvaluateCommand>("evaluate")
                .WithDescription("FPR and precision at target recalls, AUPRC, AUROC and the PR curve of one or more binary models (or score columns) on a labelled CSV/TSV file. " +
                    "Exit codes: 0 ok, 1 bad input, 2 unexpected.")
                .WithExample("evaluate", "test.csv", "--model", "model.zip")
                .WithExample("evaluate", "test.csv", "--model", "baseline.zip", "--model", "mined.zip", "--recall", "0.9,0.95", "--json", "metrics.json", "--plots", "plots")
                .WithExample("evaluate", "scored.csv", "--score-column", "Score", "--curve", "pr.csv");
            config.AddCommand<DemoCommand>("demo")
                .WithDescription("Train a baseline and a hard-mined model on real data with the same negative budget and compare them side by side.")
                .WithExample("demo")
                .WithExample("demo", "--dataset", "spam", "--trainer", "sdca", "--budget", "0.1");
        });

        try
        {
            if (args.Length > 0 && SettingsTypes.TryGetValue(args[0], out var settingsType) && !args.Any(a => a is "-h" or "--help" or "-?"))
                OptionValues.Check(args[0], args[1..], settingsType);
            return app.Run(args);
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            cli.Error.WriteLine($"hardmine: error: {message}");
            if (verbose) cli.Error.WriteLine(e.ToString());
            else if (code == ExitCodes.Unexpected) cli.Error.WriteLine("hardmine: run again with --verbose for the stack trace.");
            return code;
        }
    }

    private static (int Code, string Message) Classify(Exception e)
    {
        // Spectre wraps exceptions thrown while constructing or running a command.
        var inner = e;
        while (inner is CommandAppException && inner.InnerException is not null) inner = inner.InnerException;
        while (inner is System.Reflection.TargetInvocationException && inner.InnerException is not null) inner = inner.InnerException;
        return inner switch
        {
            CliException cli => (ExitCodes.BadInput, cli.Message),
            CommandAppException app => (ExitCodes.BadInput, OneLine(app.Message) + " (see hardmine --help)"),
            FileNotFoundException missing => (ExitCodes.BadInput, OneLine(missing.Message)),
            DirectoryNotFoundException missing => (ExitCodes.BadInput, OneLine(missing.Message)),
            _ => (ExitCodes.Unexpected, $"{inner.GetType().Name}: {OneLine(inner.Message)}"),
        };
    }

    private static string OneLine(string message) => string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
