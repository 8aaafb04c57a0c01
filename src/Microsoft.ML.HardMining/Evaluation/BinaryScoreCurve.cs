namespace Microsoft.ML.HardMining.Evaluation;

/// <summary>
/// Exact threshold-sweep metrics of a binary scorer: false-positive rate at a target recall, precision at recall,
/// the threshold that reaches a recall, ROC and precision-recall curve points, and their areas.
/// </summary>
/// <remarks>
/// <para>Built once from the label and score columns of a scored <see cref="IDataView"/> (or from arrays); every query
/// afterwards is a binary search or a walk over the distinct scores. A row is predicted positive when its score is at
/// least the threshold, so rows with equal scores always move together: a threshold never splits a tie.</para>
/// <para>ML.NET's <c>BinaryClassification.Evaluate</c> reports metrics at the model's fixed threshold; false-positive
/// reduction is judged at a target recall instead (for example FPR at recall 0.95), which is what this class answers.
/// Its AUROC equals ML.NET's. Its AUPRC is the average precision over distinct scores, where ML.NET sums a lower trapezoid
/// row by row (and samples above 100,000 rows): on real MNIST "9 vs rest" the two read 0.6806 and 0.6757 (FastTree), and
/// they part further when many rows share a score.</para>
/// <para>Definitions: <see cref="AreaUnderRocCurve"/> is the trapezoidal area (ties count one half, equal to the
/// Mann-Whitney statistic); <see cref="AreaUnderPrecisionRecallCurve"/> is the average precision
/// Σ (R<sub>k</sub> − R<sub>k−1</sub>) · P<sub>k</sub> over the distinct thresholds, highest first.</para>
/// </remarks>
public sealed class BinaryScoreCurve
{
    private readonly double[] _groupScores;   // distinct scores, descending
    private readonly long[] _cumTruePositives; // positives with score >= _groupScores[g]
    private readonly long[] _cumFalsePositives;

    private BinaryScoreCurve(bool[] labels, double[] scores, string source, string? labelColumnName = null)
    {
        long positives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (double.IsNaN(scores[i]))
                throw new ArgumentException($"Score {i} is NaN: every row needs a score. Fix the model or drop those rows first.", source);
            if (labels[i]) positives++;
        }
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException(
                $"The scored data holds {positives} positive and {negatives} negative rows{(labelColumnName is null ? "" : $" in label column '{labelColumnName}'")}; threshold curves need both classes. " +
                "Evaluate on a set that contains both (for a holdout, use a stratified split).", source);
        Positives = positives;
        Negatives = negatives;

        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = (double[])scores.Clone();
        Array.Sort(keys, order);   // ascending; ties are resolved below by grouping, so the unstable sort is harmless

        var groupScores = new List<double>();
        var cumTp = new List<long>();
        var cumFp = new List<long>();
        long tp = 0, fp = 0;
        for (int k = keys.Length - 1; k >= 0;)
        {
            double s = keys[k];
            while (k >= 0 && keys[k] == s)
            {
                if (labels[order[k]]) tp++; else fp++;
                k--;
            }
            groupScores.Add(s);
            cumTp.Add(tp);
            cumFp.Add(fp);
        }
        _groupScores = groupScores.ToArray();
        _cumTruePositives = cumTp.ToArray();
        _cumFalsePositives = cumFp.ToArray();
    }

    /// <summary>Number of positive rows.</summary>
    public long Positives { get; }

    /// <summary>Number of negative rows.</summary>
    public long Negatives { get; }

    /// <summary>Number of rows.</summary>
    public long Count => Positives + Negatives;

    /// <summary>Number of distinct scores (the number of thresholds at which the counts change).</summary>
    public int DistinctScores => _groupScores.Length;

    /// <summary>
    /// Builds the curve from the label and score columns of a scored view (the output of a binary model's <c>Transform</c>).
    /// </summary>
    /// <param name="scoredData">The scored rows. It is read once and not modified.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single/Double with positive meaning &gt; 0.</param>
    /// <param name="scoreColumnName">The score column (Single, Double, or a Single vector of length 1). Use <c>"Probability"</c>
    /// for calibrated probabilities; any monotone score gives the same curve.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or the data holds only one class.</exception>
    /// <exception cref="InvalidOperationException">A score or a numeric label is NaN.</exception>
    public static BinaryScoreCurve Create(IDataView scoredData, string labelColumnName = "Label", string scoreColumnName = "Score")
    {
        var (labels, scores) = ScoredColumnReader.Read(scoredData, labelColumnName, scoreColumnName, nameof(scoredData));
        return new BinaryScoreCurve(labels, scores, nameof(scoredData), labelColumnName);
    }

    /// <summary>Builds the curve from in-memory labels and scores of the same length.</summary>
    /// <param name="labels">True for positive rows.</param>
    /// <param name="scores">One score per row; higher means more positive. NaN is rejected.</param>
    /// <exception cref="ArgumentException">Lengths differ, a score is NaN, or only one class is present.</exception>
    public static BinaryScoreCurve FromScores(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Count != scores.Count)
            throw new ArgumentException($"{nameof(labels)} has {labels.Count} items but {nameof(scores)} has {scores.Count}; give one score per label.", nameof(scores));
        return new BinaryScoreCurve(labels.ToArray(), scores.ToArray(), nameof(scores));
    }

    /// <summary>
    /// The false-positive rate at the highest threshold whose recall reaches <paramref name="recall"/>
    /// (the fraction of negatives that must be accepted to find that share of the positives).
    /// </summary>
    /// <param name="recall">Target recall in [0, 1], for example 0.95.</param>
    public double FalsePositiveRateAtRecall(double recall)
    {
        int g = GroupForRecall(recall);
        return g < 0 ? 0 : (double)_cumFalsePositives[g] / Negatives;
    }

    /// <summary>The precision (true positives / predicted positives) at the highest threshold whose recall reaches <paramref name="recall"/>.</summary>
    /// <param name="recall">Target recall in (0, 1]. At recall 0 nothing is predicted positive and the precision is 1 by convention.</param>
    public double PrecisionAtRecall(double recall)
    {
        int g = GroupForRecall(recall);
        if (g < 0) return 1;
        return (double)_cumTruePositives[g] / (_cumTruePositives[g] + _cumFalsePositives[g]);
    }

    /// <summary>
    /// The highest score threshold whose recall reaches <paramref name="recall"/>: predicting positive when
    /// score ≥ threshold finds at least that share of the positives. <see cref="double.PositiveInfinity"/> for recall 0,
    /// standing for "nothing predicted positive" (when a score is itself +∞, no threshold predicts nothing: use
    /// <see cref="CountsAtRecall"/>, which reports the empty prediction for recall 0).
    /// </summary>
    /// <param name="recall">Target recall in [0, 1].</param>
    public double ThresholdForRecall(double recall)
    {
        int g = GroupForRecall(recall);
        return g < 0 ? double.PositiveInfinity : _groupScores[g];
    }

    /// <summary>The confusion counts when rows with score ≥ <paramref name="threshold"/> are predicted positive.</summary>
    /// <param name="threshold">Any value; NaN is rejected.</param>
    public ConfusionCounts CountsAtThreshold(double threshold)
    {
        if (double.IsNaN(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold must not be NaN.");
        // Last group with score >= threshold (groups are in descending score order).
        int lo = 0, hi = _groupScores.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_groupScores[mid] >= threshold) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        long tp = found < 0 ? 0 : _cumTruePositives[found];
        long fp = found < 0 ? 0 : _cumFalsePositives[found];
        return new ConfusionCounts(threshold, tp, fp, Negatives - fp, Positives - tp);
    }

    /// <summary>The confusion counts at the highest threshold whose recall reaches <paramref name="recall"/>; for recall 0, nothing
    /// predicted positive.</summary>
    /// <param name="recall">Target recall in [0, 1].</param>
    public ConfusionCounts CountsAtRecall(double recall)
    {
        // From the group, not back through its threshold: a +∞ score would put the +∞ "nothing" threshold's rows back in.
        int g = GroupForRecall(recall);
        long tp = g < 0 ? 0 : _cumTruePositives[g];
        long fp = g < 0 ? 0 : _cumFalsePositives[g];
        return new ConfusionCounts(g < 0 ? double.PositiveInfinity : _groupScores[g], tp, fp, Negatives - fp, Positives - tp);
    }

    /// <summary>
    /// The ROC curve: one point per distinct score (highest first), starting at (FPR 0, TPR 0) — nothing predicted positive,
    /// threshold +∞ — and ending at (1, 1). Rows scored +∞ are in the next point, whose threshold is also +∞.
    /// </summary>
    public IReadOnlyList<RocPoint> RocCurve()
    {
        var points = new RocPoint[_groupScores.Length + 1];
        points[0] = new RocPoint(double.PositiveInfinity, 0, 0);
        for (int g = 0; g < _groupScores.Length; g++)
            points[g + 1] = new RocPoint(_groupScores[g], (double)_cumFalsePositives[g] / Negatives, (double)_cumTruePositives[g] / Positives);
        return points;
    }

    /// <summary>The precision-recall curve: one point per distinct score, highest threshold first, ending at recall 1.</summary>
    public IReadOnlyList<PrecisionRecallPoint> PrecisionRecallCurve()
    {
        var points = new PrecisionRecallPoint[_groupScores.Length];
        for (int g = 0; g < _groupScores.Length; g++)
        {
            long tp = _cumTruePositives[g], fp = _cumFalsePositives[g];
            points[g] = new PrecisionRecallPoint(_groupScores[g], (double)tp / Positives, (double)tp / (tp + fp));
        }
        return points;
    }

    /// <summary>Area under the ROC curve (trapezoidal, exact; equal scores count one half).</summary>
    public double AreaUnderRocCurve
    {
        get
        {
            double area = 0;
            long prevTp = 0, prevFp = 0;
            for (int g = 0; g < _groupScores.Length; g++)
            {
                long tp = _cumTruePositives[g], fp = _cumFalsePositives[g];
                area += (fp - prevFp) * (double)(tp + prevTp) / 2;
                prevTp = tp; prevFp = fp;
            }
            return area / ((double)Positives * Negatives);
        }
    }

    /// <summary>Area under the precision-recall curve as the exact average precision over all rows (not sampled).</summary>
    public double AreaUnderPrecisionRecallCurve
    {
        get
        {
            double area = 0;
            long prevTp = 0;
            for (int g = 0; g < _groupScores.Length; g++)
            {
                long tp = _cumTruePositives[g], fp = _cumFalsePositives[g];
                if (tp != prevTp)
                    area += (double)(tp - prevTp) / Positives * ((double)tp / (tp + fp));
                prevTp = tp;
            }
            return area;
        }
    }

    /// <summary>Index of the first group (highest threshold) whose cumulative recall reaches <paramref name="recall"/>; -1 for recall 0.</summary>
    private int GroupForRecall(double recall)
    {
        if (double.IsNaN(recall) || recall < 0 || recall > 1)
            throw new ArgumentOutOfRangeException(nameof(recall), recall, "The target recall must be in [0, 1], for example 0.95.");
        long needed = RecallTarget.TruePositivesNeeded(recall, Positives);
        if (needed <= 0) return -1;
        int lo = 0, hi = _cumTruePositives.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_cumTruePositives[mid] >= needed) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
