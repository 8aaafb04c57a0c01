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
            var chosen = guard.RefitWithHoldout && heldOut ? RerunOnAllRows(loop.BestRound) : loop.Best!;
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
            var chosen = guard.RefitWithHoldout && heldOut ? RerunOnAllRows(loop.BestRound) : loop.Best!;
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
    /// The mined model with the held-out rows back: the same mining run on all training rows (the guard-off run: same seed,
    /// same cache sizes and per-round additions), stopped after the chosen round, without validation. Adding the held-out rows
    /// to the chosen round's cache by that one model's losses, as an earlier version did, lost part of mining's gain on real
    /// data (docs/trainers.md, "The validation guard").
    /// </summary>
    private TTransformer RerunOnAllRows(int chosenRound)
    {
        _pools = Enumerable.Range(0, K).Select(c => _pools[c].Concat(_holdoutPools[c]).Order().ToArray()).ToArray();
        _holdoutPools = Enumerable.Range(0, K).Select(_ => Array.Empty<long>()).ToArray();
        _validation = null;
        _rng = new Random(_o.Seed);
        SizeCaches(_input.Schema);
        _roundLimit = chosenRound;
        _rerun = true;
        var loop = _o.Schedule == MiningSchedule.PerEpoch ? RunPerEpoch([]) : RunOffline([]);
        return loop.Last;
    }
}
