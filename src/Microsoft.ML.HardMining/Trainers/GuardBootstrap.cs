using Microsoft.ML.HardMining.Evaluation;

namespace Microsoft.ML.HardMining.Trainers;

/// <summary>
/// The numbers behind the guard's decision, from one stratified paired bootstrap of the validation rows over the baseline and
/// every round. Improvements are oriented so that positive means mining is better (baseline − round for the metrics where
/// lower is better).
/// </summary>
/// <param name="Improvement">The best round's improvement over the baseline on the validation rows.</param>
/// <param name="StandardError">Standard deviation over resamples of the best round's improvement: the standard error of the paired difference.</param>
/// <param name="SelectionOptimism">
/// How much better the best round of each resample looks than the round chosen on the validation rows, on average over the
/// resamples: the optimism of choosing the best of several rounds on the same rows (reported, not used in the decision).
/// </param>
internal sealed record GuardStatistics(double Improvement, double StandardError, double SelectionOptimism);

/// <summary>The guard's stratified paired bootstrap.</summary>
internal static class GuardBootstrap
{
    /// <summary>Resamples drawn by the guard: enough for a standard error within a few percent, a few milliseconds per thousand rows.</summary>
    public const int Resamples = 1000;

    /// <summary>
    /// Resamples the validation rows (with replacement, within each class) <paramref name="resamples"/> times and measures the
    /// baseline and every round on each resample.
    /// </summary>
    /// <param name="labels">Class index of every validation row (binary: 1 = positive).</param>
    /// <param name="baseline">The baseline's per-row values (scores for threshold metrics, per-row losses or errors otherwise).</param>
    /// <param name="rounds">Every round's per-row values, in round order.</param>
    /// <param name="bestRound">The round chosen on the validation rows.</param>
    /// <param name="metric">The guard's metric.</param>
    /// <param name="targetRecall">The recall of <see cref="GuardMetric.FalsePositiveRateAtRecall"/>.</param>
    /// <param name="seed">Seed of the resampling.</param>
    /// <param name="resamples">Number of resamples.</param>
    public static GuardStatistics Run(int[] labels, double[] baseline, IReadOnlyList<double[]> rounds, int bestRound,
        GuardMetric metric, double targetRecall, int seed, int resamples = Resamples)
    {
        bool lowerIsBetter = MiningTask.LowerIsBetter(metric);
        double Imp(double b, double r) => lowerIsBetter ? b - r : r - b;
        var measures = new[] { baseline }.Concat(rounds).Select(v => new ResampledMetric(labels, v, metric, targetRecall)).ToArray();
        var counts = new int[labels.Length];
        Array.Fill(counts, 1);
        double improvement = Imp(measures[0].Measure(counts), measures[bestRound + 1].Measure(counts));

        var byClass = labels.Select((c, i) => (c, i)).GroupBy(x => x.c).OrderBy(g => g.Key).Select(g => g.Select(x => x.i).ToArray()).ToArray();
        var rng = new Random(seed);
        double sum = 0, sumSquares = 0, optimism = 0;
        for (int r = 0; r < resamples; r++)
        {
            Array.Clear(counts);
            foreach (var pool in byClass)
                for (int j = 0; j < pool.Length; j++) counts[pool[rng.Next(pool.Length)]]++;
            double b = measures[0].Measure(counts);
            double chosen = 0, best = double.NegativeInfinity;
            for (int m = 0; m < rounds.Count; m++)
            {
                double d = Imp(b, measures[m + 1].Measure(counts));
                if (m == bestRound) chosen = d;
                best = Math.Max(best, d);
            }
            sum += chosen;
            sumSquares += chosen * chosen;
            optimism += best - chosen;
        }
        double mean = sum / resamples;
        double sd = resamples > 1 ? Math.Sqrt(Math.Max(0, (sumSquares - resamples * mean * mean) / (resamples - 1))) : 0;
        return new GuardStatistics(improvement, sd, optimism / resamples);
    }
}

/// <summary>
/// One model's guard metric on resamples of the validation rows given as a multiplicity per row: the rows are sorted by score
/// once, so each resample is one pass (the same numbers as <see cref="BinaryScoreCurve"/> on the rows repeated).
/// </summary>
internal sealed class ResampledMetric
{
    private readonly int[] _labels;
    private readonly double[] _values;
    private readonly GuardMetric _metric;
    private readonly double _recall;
    private readonly int[] _order = [];       // rows by descending score (threshold metrics)
    private readonly int[] _groupEnds = [];   // exclusive ends of the runs of equal scores in _order

    public ResampledMetric(int[] labels, double[] values, GuardMetric metric, double targetRecall)
    {
        _labels = labels;
        _values = values;
        _metric = metric;
        _recall = targetRecall;
        if (metric is not (GuardMetric.FalsePositiveRateAtRecall or GuardMetric.AreaUnderPrecisionRecallCurve)) return;
        _order = Enumerable.Range(0, values.Length).ToArray();
        var keys = values.Select(v => -v).ToArray();
        Array.Sort(keys, _order);
        var ends = new List<int>();
        for (int k = 1; k <= _order.Length; k++)
            if (k == _order.Length || values[_order[k]] != values[_order[k - 1]]) ends.Add(k);
        _groupEnds = ends.ToArray();
    }

    /// <summary>The metric of the rows taken <paramref name="counts"/>[i] times each.</summary>
    public double Measure(int[] counts)
    {
        if (_order.Length == 0)
        {
            double sum = 0;
            long n = 0;
            for (int i = 0; i < _values.Length; i++) { sum += counts[i] * _values[i]; n += counts[i]; }
            return sum / Math.Max(1, n);
        }
        long positives = 0, negatives = 0;
        for (int i = 0; i < _labels.Length; i++)
            if (_labels[i] == 1) positives += counts[i]; else negatives += counts[i];
        long needed = (long)Math.Ceiling(_recall * positives - 1e-9);
        bool fpr = _metric == GuardMetric.FalsePositiveRateAtRecall;
        if (fpr && needed <= 0) return 0;
        long tp = 0, fp = 0, prevTp = 0;
        double area = 0;
        int start = 0;
        foreach (var end in _groupEnds)
        {
            for (int k = start; k < end; k++)
            {
                int row = _order[k];
                if (_labels[row] == 1) tp += counts[row]; else fp += counts[row];
            }
            start = end;
            if (fpr)
            {
                if (tp >= needed) return (double)fp / negatives;
                continue;
            }
            if (tp != prevTp) area += (double)(tp - prevTp) / positives * ((double)tp / (tp + fp));
            prevTp = tp;
        }
        return fpr ? (double)fp / negatives : area;
    }
}
