namespace Microsoft.ML.HardMining.Cli.Scoring;

/// <summary>A CSV file as a scored <see cref="IDataView"/>: row i of <see cref="Data"/> is data record i of the file.</summary>
/// <param name="Data">The rows with the label, the score (and probability) and any group column.</param>
/// <param name="LabelColumn">The label column.</param>
/// <param name="ScoreColumn">The raw score column.</param>
/// <param name="ProbabilityColumn">The probability column, when there is one.</param>
/// <param name="Description">Where the scores come from, in words (for reports).</param>
public sealed record ScoredInput(IDataView Data, string LabelColumn, string ScoreColumn, string? ProbabilityColumn, string Description);
