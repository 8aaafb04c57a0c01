namespace Microsoft.ML.HardMining.Cli.Csv;

/// <summary>One data record of a delimited file.</summary>
/// <param name="Line">The 1-based line on which the record starts (the header is line 1).</param>
/// <param name="Fields">The unquoted field values.</param>
/// <param name="Raw">The record exactly as written in the file (without its line break), copied verbatim into mined output.</param>
public sealed record CsvRecord(int Line, string[] Fields, string Raw);
