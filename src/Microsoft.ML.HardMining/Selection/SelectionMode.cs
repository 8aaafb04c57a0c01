namespace Microsoft.ML.HardMining;

/// <summary>How the hard part of a class budget is chosen.</summary>
public enum SelectionMode
{
    /// <summary>The rows with the highest loss (OHEM, SSD, TF's HardExampleMiner). Ties go to the earlier row.</summary>
    TopK,
    /// <summary>
    /// Weighted sampling without replacement of exactly the budget, the weight of a row being its loss percentile within its
    /// class raised to <see cref="HardExampleMiningOptions.Beta"/>, after Selective Backprop (Jiang et al. 2019), which keeps
    /// each row on its own with that probability instead. Costs one more pass over the data.
    /// </summary>
    Stochastic,
}
