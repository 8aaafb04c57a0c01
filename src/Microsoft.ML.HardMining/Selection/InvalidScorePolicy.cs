namespace Microsoft.ML.HardMining;

/// <summary>What the miner does with a row whose score, probability or loss is NaN or infinite.</summary>
public enum InvalidScorePolicy
{
    /// <summary>Throw, naming the column and the row position. The default: a NaN score usually means a broken model or feature.</summary>
    Throw,
    /// <summary>Leave the row out of the selection and count it in <see cref="MiningReport.RowsWithInvalidScore"/>.</summary>
    Skip,
}
