using Microsoft.ML.HardMining.Data;

namespace Microsoft.ML.HardMining.Trainers;

internal sealed partial class MiningEngine<TTransformer>
{
    private (TTransformer, HardMiningHistory) Decide(LoopResult loop, List<HardMiningRound> rounds)
    {
        var guard = Guard;
        if (guard is null)
        {
            var verdict = $"guard off: returned round {loop.LastRound} (the last), stopped by {loop.Stop}";
            return (loop.Last, new HardMiningHistory(rounds, loop.Stop, loop.StopDetail, null, loop.LastRound, null, false, verdict));
        }

        var kind = guard.Baseline == BaselineKind.Auto
            ? (_o.ExampleWeightColumnName is null ? BaselineKind.Full : BaselineKind.ClassWeighted)
            : guard.Baseline;
        double recall = guard.TargetRecall;
        string M(double v) => MiningTask.Format(_metric, v, recall);
        bool heldOut = guard.ValidationData is null;

        if (kind == BaselineKind.None)
        {
            var chosen = guard.RefitWithHoldout && heldOut ? RefitMined(loop) : loop.Best!;
            return (chosen, new HardMiningHistory(rounds, loop.Stop, loop.StopDetail, _metric, loop.BestRound, null, false,
                $"mining kept: round {loop.BestRound} has the best validation {M(loop.BestMetric)} (no baseline trained)"));
        }

        string baselineName = kind == BaselineKind.ClassWeighted ? "class-weighted full data" : "full data";
        var trainingRows = _pools.SelectMany(p => p).Order().ToArray();
        var baseline = TrainBaseline(trainingRows, kind);
        var baselineScored = baseline.Transform(_validation!);
        double baselineMetric = _task.Metric(baselineScored, _metric);
        var statistics = GuardBootstrap.Run(_validationClasses, _task.ValidationValues(baselineScored, _validationClasses, _metric), _roundValidationValues,
            loop.BestRound, _metric, recall, _o.Seed);
        double margin = guard.MinImprovementInStandardErrors * statistics.StandardError;
        bool miningBetter = MiningTask.LowerIsBetter(_metric) ? loop.BestMetric < baselineMetric - margin : loop.BestMetric > baselineMetric + margin;
        string marginUnits = _metric is GuardMetric.FalsePositiveRateAtRecall or GuardMetric.ErrorRate
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{margin * 100:0.00} points")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{margin:0.0000}");
        string marginText = margin > 0 ? $", needed a margin of {marginUnits} = {guard.MinImprovementInStandardErrors:0.##} SE of the paired difference" : "";
        if (miningBetter || !guard.ReturnBaselineWhenBetter)
        {
            string verdict = miningBetter
                ? $"mining kept: {M(loop.BestMetric)} (round {loop.BestRound}) vs baseline {M(baselineMetric)} ({baselineName}{marginText})"
                : $"mining kept although it does not beat the baseline (ReturnBaselineWhenBetter = false): {M(loop.BestMetric)} (round {loop.BestRound}) vs baseline {M(baselineMetric)} ({baselineName}{marginText})";
            var chosen = guard.RefitWithHoldout && heldOut ? RefitMined(loop) : loop.Best!;
            return (chosen, new HardMiningHistory(rounds, loop.Stop, loop.StopDetail, _metric, loop.BestRound, baselineMetric, false, verdict) { RequiredMargin = margin, Statistics = statistics });
        }

        string kept = $"baseline kept: mining did not improve validation {M(loop.BestMetric)} (best, round {loop.BestRound}) vs baseline {M(baselineMetric)} ({baselineName}{marginText})";
        if (guard.RefitWithHoldout && heldOut)
            baseline = TrainBaseline(Enumerable.Range(0, _rowClass.Length).Select(i => (long)i).ToArray(), kind);
        return (baseline, new HardMiningHistory(rounds, loop.Stop, loop.StopDetail, _metric, -1, baselineMetric, true, kept) { RequiredMargin = margin, Statistics = statistics });
    }

    private TTransformer TrainBaseline(long[] sortedPositions, BaselineKind kind)
    {
        IDataView view;
        if (kind == BaselineKind.ClassWeighted)
        {
            var counts = new long[K];
            foreach (var p in sortedPositions) counts[_rowClass[p]]++;
            int present = counts.Count(c => c > 0);
            var classWeight = counts.Select(c => c == 0 ? 0f : (float)((double)sortedPositions.Length / (present * c))).ToArray();
            var weights = sortedPositions.Select(p => classWeight[_rowClass[p]]).ToArray();
            view = new RowSubsetDataView(_input, sortedPositions, weights: weights, weightColumnName: _o.ExampleWeightColumnName!);
        }
        else
        {
            bool addUnitWeights = _o.ExampleWeightColumnName is { } w && _input.Schema.GetColumnOrNull(w) is null;
            view = addUnitWeights
                ? new RowSubsetDataView(_input, sortedPositions, weights: UnitWeights(sortedPositions.Length), weightColumnName: _o.ExampleWeightColumnName!)
                : new RowSubsetDataView(_input, sortedPositions);
        }
        return _newInner().Fit(view);
    }

    /// <summary>
    /// Refits the best round with the held-out rows added back: all held-out rows of the classes that are not mined, and for the
    /// mined ones the same share, hard part chosen by the best model's losses and the rest at random.
    /// </summary>
    private TTransformer RefitMined(LoopResult loop)
    {
        var best = loop.Best!;
        var positions = new List<long>(loop.BestPositions);
        bool anyMined = false;
        for (int c = 0; c < K; c++)
            if (_mined[c] && _holdoutPools[c].Length > 0) anyMined = true;
        float[]? losses = anyMined ? _task.Losses(best.Transform(_input), _rowClass) : null;
        for (int c = 0; c < K; c++)
        {
            var pool = _holdoutPools[c];
            if (pool.Length == 0) continue;
            if (!_mined[c]) { positions.AddRange(pool); continue; }
            long take = Math.Min(pool.Length, (long)Math.Ceiling((double)_capacity[c] / _pools[c].Length * pool.Length));
            long hard = take - (long)Math.Round(_o.RandomShare * take);
            var ranking = Ranking(pool, losses!);
            var picked = SelectHard(ranking, hard, EpochSelection.TopK, 0, _o.NoiseGuardFraction, _rng);
            positions.AddRange(picked);
            positions.AddRange(Sample(ranking.Where(p => !picked.Contains(p)).Order().ToArray(), take - picked.Count));
        }
        positions.Sort();
        var all = positions.ToArray();
        return Train(all, _o.Schedule == MiningSchedule.PerEpoch ? best : null, out _);
    }
}
