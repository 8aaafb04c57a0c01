namespace Microsoft.ML.HardMining;

/// <summary>
/// What the final assembly needs of one class, however it was gathered: the hardest rows by loss (enough to skip the
/// noise-guarded top and fill the budget), the candidates ranked by sampling key (stochastic mode), the candidates
/// ranked by random key (the random share), and the counts.
/// </summary>
internal sealed class ClassPools
{
    private IReadOnlyList<MiningCandidate>? _byRandomKey;

    public required IReadOnlyList<MiningCandidate> ByLoss { get; init; }
    public IReadOnlyList<MiningCandidate>? BySamplingKey { get; init; }

    /// <summary>Every candidate of the random share, ranked by random key: given, or built by <see cref="BuildByRandomKey"/>
    /// on the first read.</summary>
    public IReadOnlyList<MiningCandidate> ByRandomKey
    {
        get => _byRandomKey ??= (BuildByRandomKey ?? throw new InvalidOperationException("No random-share pool was given.")).Invoke();
        init => _byRandomKey = value;
    }

    /// <summary>Builds <see cref="ByRandomKey"/> when it is first needed (it may not be: see <see cref="EasyByRandomKey"/>).</summary>
    public Func<IReadOnlyList<MiningCandidate>>? BuildByRandomKey { get; init; }

    /// <summary>
    /// The random share's candidates that <see cref="ByLoss"/> does not hold, ranked by random key, when the pools keep them
    /// apart (the streaming selector's split buffers); null otherwise. When every row of <see cref="ByLoss"/> is hard, these
    /// are the only rows the random share can draw, and no set of hard rows needs to be looked up.
    /// </summary>
    public IReadOnlyList<MiningCandidate>? EasyByRandomKey { get; init; }

    /// <summary>Group-stage survivors ranked for the hard part (grouped mode only); null means <see cref="ByLoss"/>.</summary>
    public IReadOnlyList<MiningCandidate>? HardPool { get; init; }
    public required long ValidRows { get; init; }
    public required long AboveMaxLoss { get; init; }
}
