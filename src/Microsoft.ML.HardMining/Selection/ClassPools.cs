namespace Microsoft.ML.HardMining;

/// <summary>
/// What the final assembly needs of one class, however it was gathered: the hardest rows by loss (enough to skip the
/// noise-guarded top and fill the budget), the candidates ranked by sampling key (stochastic mode), the candidates
/// ranked by random key (the random share), and the counts.
/// </summary>
internal sealed class ClassPools
{
    public required IReadOnlyList<MiningCandidate> ByLoss { get; init; }
    public IReadOnlyList<MiningCandidate>? BySamplingKey { get; init; }
    public required IReadOnlyList<MiningCandidate> ByRandomKey { get; init; }
    /// <summary>Group-stage survivors ranked for the hard part (grouped mode only); null means <see cref="ByLoss"/>.</summary>
    public IReadOnlyList<MiningCandidate>? HardPool { get; init; }
    public required long ValidRows { get; init; }
    public required long AboveMaxLoss { get; init; }
}
