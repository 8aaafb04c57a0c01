namespace Microsoft.ML.HardMining;

/// <summary>What the mined view hands to the downstream trainer.</summary>
public enum MiningOutputMode
{
    /// <summary>Only the selected rows, with the source's columns untouched.</summary>
    Filter,
    /// <summary>
    /// The selected rows plus a weight column (<see cref="HardExampleMiningOptions.WeightColumnName"/>): hard rows weigh
    /// <see cref="HardExampleMiningOptions.HardExampleWeight"/>, randomly drawn easy rows weigh the inverse of their
    /// inclusion probability, so they stand for the easy rows left out. For trainers with <c>ExampleWeightColumnName</c>.
    /// </summary>
    Weight,
}
