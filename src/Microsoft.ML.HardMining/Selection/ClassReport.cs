namespace Microsoft.ML.HardMining;

/// <summary>What the miner did with one class.</summary>
/// <param name="ClassIndex">0 = negatives and 1 = positives for a binary label; the zero-based key index for a multiclass label.</param>
/// <param name="Rows">Rows of the class with a valid loss.</param>
/// <param name="SelectedHard">Rows selected as hard.</param>
/// <param name="SelectedRandom">Rows drawn for the random share.</param>
/// <param name="LeftOutAsNoise">Rows left out by the label-noise guard (the top fraction and rows above the maximum loss).</param>
/// <param name="Budget">The resolved budget of the class, hard and random together.</param>
public sealed record ClassReport(int ClassIndex, long Rows, long SelectedHard, long SelectedRandom, long LeftOutAsNoise, long Budget)
{
    /// <summary>
    /// The loss histogram of the class: every row in stochastic mode, with a maximum loss, or on views up to 32,768 rows;
    /// on larger views in top-k mode, every n-th row by position, n a power of two that keeps 16,384 to 32,768 samples over
    /// all classes (top-k needs no loss per row, so the report samples), whether or not the view knows its row count.
    /// </summary>
    /// <remarks>A class gets its share of the samples: a minority class's quantiles are looser (about ±0.26% in rank at p99
    /// for a class of 10% of the rows, against ±0.1% for a class of most rows).</remarks>
    /// <remarks>On a large view the samples' losses are computed on the first read, once.</remarks>
    public LossHistogram Losses
    {
        get => _lossesOnRead?.Histogram(ClassIndex) ?? _losses;
        internal set => (_losses, _lossesOnRead) = (value, null);
    }

    private LossHistogram _losses = new();
    private HistogramSampler? _lossesOnRead;

    internal void LossesOnFirstRead(HistogramSampler sampler) => _lossesOnRead = sampler;

    /// <summary>Rows selected, hard and random.</summary>
    public long Selected => SelectedHard + SelectedRandom;
}
