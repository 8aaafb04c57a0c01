namespace Microsoft.ML.HardMining;

/// <summary>Progress of a mining pass, reported every 65,536 rows and at the end of each pass.</summary>
/// <param name="Pass">1 for the only pass (or the histogram pass of stochastic mode), 2 for the second pass.</param>
/// <param name="PassCount">How many passes this run makes.</param>
/// <param name="RowsScanned">Rows read so far in this pass.</param>
/// <param name="TotalRows">The view's row count when it knows it, else null.</param>
public sealed record MiningProgress(int Pass, int PassCount, long RowsScanned, long? TotalRows);
