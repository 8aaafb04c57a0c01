namespace Microsoft.ML.HardMining;

/// <summary>Why a row was selected.</summary>
public enum SelectedRowKind : byte
{
    /// <summary>Among the hardest of its class (or drawn by loss in stochastic mode).</summary>
    Hard,
    /// <summary>Drawn uniformly at random from the rest of its class (the random share).</summary>
    Random,
}
