using System.ComponentModel;
using Microsoft.ML.HardMining.Cli.Infrastructure;
using Microsoft.ML.HardMining.Cli.Scoring;
using Spectre.Console.Cli;

namespace Microsoft.ML.HardMining.Cli.Commands;

/// <summary>The input file, its label and where its scores come from: shared by <c>mine</c> and <c>evaluate</c>.</summary>
public class ScoreSourceSettings : CommonSettings
{
    /// <summary>The CSV/TSV file.</summary>
    [CommandArgument(0, "<INPUT>")]
    [Description("A CSV or TSV file with a header row (TSV when the name ends in .tsv, else CSV; see --separator).")]
    public string Input { get; init; } = "";

    /// <summary>The label column.</summary>
    [CommandOption("--label <COLUMN>")]
    [Description("The binary label column: true/false, yes/no, 1/0 or numbers (positive when > 0). Default Label.")]
    [DefaultValue("Label")]
    public string Label { get; init; } = "Label";

    /// <summary>The score column.</summary>
    [CommandOption("--score-column <COLUMN>")]
    [Description("Score source 1: a column of raw scores (logits or margins; higher = more positive).")]
    public string[] ScoreColumns { get; init; } = [];

    /// <summary>The probability column.</summary>
    [CommandOption("--probability-column <COLUMN>")]
    [Description("A column of calibrated probabilities in [[0, 1]], alone or beside --score-column (the log-loss then reads it).")]
    public string? ProbabilityColumn { get; init; }

    /// <summary>ML.NET models.</summary>
    [CommandOption("--model <MODEL.zip>")]
    [Description("Score source 2: an ML.NET binary classification model saved by mlContext.Model.Save; its input columns are read from the file by name (a vector column V from V.0, V.1, ...).")]
    public string[] Models { get; init; } = [];

    /// <summary>ONNX models.</summary>
    [CommandOption("--onnx <MODEL.onnx>")]
    [Description("Score source 3: an ONNX model with one float input, scored in batches; its input is built from --features.")]
    public string[] OnnxModels { get; init; } = [];

    /// <summary>The ONNX feature columns.</summary>
    [CommandOption("--features <COLUMNS>")]
    [Description("Columns that feed --onnx: a comma-separated list, or a prefix P for P.0, P.1, ... Default Features.")]
    [DefaultValue("Features")]
    public string Features { get; init; } = "Features";

    /// <summary>The ONNX batch size.</summary>
    [CommandOption("--batch-size <N>")]
    [Description("Rows per ONNX Runtime call for --onnx. Default 256.")]
    [DefaultValue(256)]
    public int BatchSize { get; init; } = 256;

    /// <summary>A folder that receives PNG plots.</summary>
    [CommandOption("--plots <DIR>")]
    [Description("Write PNG plots into this folder (created if missing).")]
    public string? PlotsDirectory { get; init; }

    /// <summary>The separator.</summary>
    [CommandOption("--separator <CHAR>")]
    [Description("Field separator: tab, comma, semicolon or one character. Default: tab for .tsv/.tab files, else comma.")]
    public string? Separator { get; init; }

    /// <summary>Every score source given, one per entry (evaluate compares them).</summary>
    public IReadOnlyList<ScoreSourceOptions> ScoreSources(string? group = null)
    {
        var sources = new List<ScoreSourceOptions>();
        var baseOptions = new ScoreSourceOptions { LabelColumn = Label, Features = Features, BatchSize = BatchSize, GroupColumn = group };
        if (ScoreColumns.Length == 0 && ProbabilityColumn is not null)
            sources.Add(baseOptions with { ProbabilityColumn = ProbabilityColumn });
        for (var i = 0; i < ScoreColumns.Length; i++)
            sources.Add(baseOptions with { ScoreColumn = ScoreColumns[i], ProbabilityColumn = i == 0 ? ProbabilityColumn : null });
        sources.AddRange(Models.Select(m => baseOptions with { ModelPath = m }));
        sources.AddRange(OnnxModels.Select(m => baseOptions with { OnnxPath = m }));
        return sources;
    }

    /// <summary>Fails with one line when the input file is missing (checked before anything else).</summary>
    public void CheckInputExists()
    {
        if (Directory.Exists(Input)) throw new CliException($"Input '{Input}' is a folder: give a CSV or TSV file.");
        if (!File.Exists(Input)) throw new CliException($"Input file '{Input}' does not exist.");
    }

    /// <summary>The files the command reads (the input and every model), for checking its outputs against them.</summary>
    public OutputPaths ReadPaths()
    {
        var paths = new OutputPaths().Input("the input file", Input);
        foreach (var model in Models) paths.Input($"the --model file '{model}'", model);
        foreach (var model in OnnxModels) paths.Input($"the --onnx file '{model}'", model);
        return paths;
    }

    /// <summary>The single score source of <c>mine</c>.</summary>
    /// <param name="group">The group column to carry along.</param>
    public ScoreSourceOptions ToScoreSource(string? group)
    {
        var sources = ScoreSources(group);
        if (sources.Count == 0)
            throw new CliException("Say where the scores come from: --score-column NAME (or --probability-column), --model MODEL.zip, or --onnx MODEL.onnx.");
        if (sources.Count > 1)
            throw new CliException("mine takes one score source: give one of --score-column/--probability-column, --model or --onnx.");
        return sources[0];
    }

    /// <inheritdoc/>
    public override Spectre.Console.ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Input)) return Spectre.Console.ValidationResult.Error("Give the input file: hardmine COMMAND data.csv ...");
        if (BatchSize < 1) return Spectre.Console.ValidationResult.Error("--batch-size must be at least 1");
        return Spectre.Console.ValidationResult.Success();
    }
}
