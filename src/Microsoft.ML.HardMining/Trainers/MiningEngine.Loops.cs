using System.Diagnostics;

namespace Microsoft.ML.HardMining.Trainers;

internal sealed partial class MiningEngine<TTransformer>
{
    private sealed class LoopResult
    {
        public TTransformer Last = null!;
        public int LastRound;
        public long[] LastPositions = [];
        public TTransformer? Best;
        public int BestRound = -1;
        public double BestMetric = double.NaN;
        public long[] BestPositions = [];
        public MiningStopReason Stop;
        public string StopDetail = "";

        /// <summary>Records a round's model; returns true when the validation patience ran out.</summary>
        public bool Observe(MiningEngine<TTransformer> e, TTransformer model, int round, long[] positions, double? metric, ref int sinceBest)
        {
            Last = model; LastRound = round; LastPositions = positions;
            if (metric is not double m) return false;
            if (Best is null || e.Better(m, BestMetric))
            {
                Best = model; BestRound = round; BestMetric = m; BestPositions = positions; sinceBest = 0;
                return false;
            }
            sinceBest++;
            if (sinceBest < e._o.Validation.Patience) return false;
            Stop = MiningStopReason.ValidationPatience;
            StopDetail = $"validation {e._metric} did not improve on round {BestRound} for {sinceBest} round(s)";
            return true;
        }
    }

    private LoopResult RunOffline(List<HardMiningRound> rounds)
    {
        var state = new byte[_rowClass.Length];
        var cached = new long[K];
        for (int c = 0; c < K; c++)
        {
            var pool = _pools[c];
            if (!_mined[c]) { foreach (var p in pool) state[p] = CachedRandom; cached[c] = pool.Length; continue; }
            long start = _randomCount[c] > 0 ? _randomCount[c] : Math.Max(1, _perRound[c]);
            foreach (var p in Sample(pool, start)) state[p] = _randomCount[c] > 0 ? CachedRandom : CachedHard;
            cached[c] = Math.Min(start, pool.Length);
        }

        var result = new LoopResult();
        HashSet<long>? previousHardest = null;
        int sinceBest = 0;
        for (int round = 0; ; round++)
        {
            var positions = CachedPositions(state);
            var model = Train(positions, null, out var trainTime);
            if (round == 0) _task.CheckModelOutput(model.GetOutputSchema(_input.Schema));
            double? metric = Validate(model);
            var perClass = Enumerable.Range(0, K).Select(c => cached[c]).ToArray();
            HardMiningRound Record(long added = 0, long evicted = 0, LossStats? stats = null, double? overlap = null, TimeSpan mining = default)
            {
                var r = new HardMiningRound
                {
                    Round = round, TrainingRows = positions.Length, TrainingRowsPerClass = perClass, NewHardExamples = added, Evicted = evicted,
                    LossP50 = stats?.P50 ?? double.NaN, LossP90 = stats?.P90 ?? double.NaN, LossP99 = stats?.P99 ?? double.NaN, LossMax = stats?.Max ?? double.NaN,
                    PoolObjective = stats?.Pool ?? double.NaN, CacheObjective = stats?.Cache ?? double.NaN, HardSetOverlap = overlap,
                    ValidationMetric = metric, TrainTime = trainTime, MiningTime = mining,
                };
                rounds.Add(r);
                Progress?.Report(r);
                return r;
            }

            if (result.Observe(this, model, round, positions, metric, ref sinceBest)) { Record(); break; }
            if (round >= RoundLimit)
            {
                result.Stop = MiningStopReason.RoundLimit;
                result.StopDetail = $"{RoundLimit} round(s) of mining done";
                Record();
                break;
            }

            var sw = Stopwatch.StartNew();
            var losses = _task.Losses(model.Transform(_input), _rowClass);
            var stats = Stats(losses, state);

            if (_o.ObjectiveTolerance > 0 && stats.MinedClasses > 0 && stats.AllWithinTolerance)
            {
                result.Stop = MiningStopReason.ObjectiveConverged;
                result.StopDetail = $"pool loss {stats.Pool:G4} within {1 + _o.ObjectiveTolerance:0.###}x the cache loss {stats.Cache:G4}";
                Record(stats: stats, mining: sw.Elapsed);
                break;
            }

            var hardest = new HashSet<long>();
            var additions = new List<(int Class, long[] Rows)>();
            for (int c = 0; c < K; c++)
            {
                if (!_mined[c] || _perRound[c] == 0) continue;
                var ranking = Ranking(_pools[c], losses);
                int guard = (int)Math.Floor(_o.NoiseGuardFraction * ranking.Length);
                for (int k = guard; k < Math.Min(ranking.Length, guard + _perRound[c]); k++) hardest.Add(ranking[k]);
                var add = new List<long>();
                for (int k = guard; k < ranking.Length && add.Count < _perRound[c]; k++)
                {
                    long p = ranking[k];
                    if (state[p] == NotCached && losses[p] > _o.MinHardLoss) add.Add(p);
                }
                additions.Add((c, add.ToArray()));
            }
            double? overlap = previousHardest is null ? null : Jaccard(previousHardest, hardest);
            previousHardest = hardest;

            long added = additions.Sum(a => (long)a.Rows.Length);
            if (added == 0 && Enumerable.Range(0, K).All(c => !_mined[c] || _perRound[c] == 0))
            {
                // Said apart: "no row has a loss above the bar" would be false here, and the cure is another option.
                var full = Enumerable.Range(0, K).Where(c => _mined[c]).Select(c => $"{_task.ClassName(c)} {_capacity[c]:N0} rows, {_randomCount[c]:N0} random");
                result.Stop = MiningStopReason.NoRoomForHardRows;
                result.StopDetail = $"the random share fills the cache ({string.Join("; ", full)}): lower RandomShare or raise the cache (fraction, MaxCacheRows, MaxCacheBytes)";
                Record(stats: stats, overlap: overlap, mining: sw.Elapsed);
                break;
            }
            if (added == 0)
            {
                result.Stop = MiningStopReason.NoNewHardExamples;
                result.StopDetail = $"no row outside the cache has a loss above {_o.MinHardLoss:G4}";
                Record(stats: stats, overlap: overlap, mining: sw.Elapsed);
                break;
            }
            if (overlap is double o && o >= _o.OverlapThreshold)
            {
                result.Stop = MiningStopReason.HardSetConverged;
                result.StopDetail = $"hardest rows overlap the previous round's by {o:P0} (threshold {_o.OverlapThreshold:P0})";
                Record(stats: stats, overlap: overlap, mining: sw.Elapsed);
                break;
            }

            long evicted = 0;
            foreach (var (c, rows) in additions)
            {
                foreach (var p in rows) state[p] = CachedHard;
                cached[c] += rows.Length;
                if (cached[c] > _capacity[c])
                {
                    // Evict the easiest hard rows under the current model; the random share is never evicted.
                    var hard = _pools[c].Where(p => state[p] == CachedHard).ToArray();
                    Array.Sort(hard, (a, b) => losses[a] != losses[b] ? losses[a].CompareTo(losses[b]) : b.CompareTo(a));
                    long excess = cached[c] - _capacity[c];
                    for (int k = 0; k < excess && k < hard.Length; k++) { state[hard[k]] = NotCached; evicted++; cached[c]--; }
                }
            }
            Record(added, evicted, stats, overlap, sw.Elapsed);
        }
        return result;
    }

    private LoopResult RunPerEpoch(List<HardMiningRound> rounds)
    {
        var result = new LoopResult();
        int sinceBest = 0;
        var selection = new List<long>();
        for (int c = 0; c < K; c++)
            selection.AddRange(_mined[c] ? Sample(_pools[c], _capacity[c]) : _pools[c]);
        selection.Sort();
        var positions = selection.ToArray();
        TTransformer? model = null;
        for (int epoch = 0; ; epoch++)
        {
            model = Train(positions, model, out var trainTime);
            if (epoch == 0) _task.CheckModelOutput(model.GetOutputSchema(_input.Schema));
            double? metric = Validate(model);
            var perClass = new long[K];
            foreach (var p in positions) perClass[_rowClass[p]]++;
            var record = new HardMiningRound
            {
                Round = epoch, TrainingRows = positions.Length, TrainingRowsPerClass = perClass, ValidationMetric = metric, TrainTime = trainTime,
            };
            if (result.Observe(this, model, epoch, positions, metric, ref sinceBest)) { Report(record); break; }
            if (epoch >= RoundLimit)
            {
                result.Stop = MiningStopReason.RoundLimit;
                result.StopDetail = $"{RoundLimit + 1} epoch(s) trained";
                Report(record);
                break;
            }
            var sw = Stopwatch.StartNew();
            var losses = _task.Losses(model.Transform(_input), _rowClass);
            var stats = Stats(losses, state: null);
            positions = SelectEpoch(losses, out long hardCount);
            Report(record with
            {
                NewHardExamples = hardCount, LossP50 = stats.P50, LossP90 = stats.P90, LossP99 = stats.P99, LossMax = stats.Max,
                PoolObjective = stats.Pool, MiningTime = sw.Elapsed,
            });
        }
        return result;

        void Report(HardMiningRound r) { rounds.Add(r); Progress?.Report(r); }
    }

    /// <summary>One epoch's subset: per mined class the hard part (top-k or stochastic) plus a random share of the rest.</summary>
    private long[] SelectEpoch(float[] losses, out long hardCount)
    {
        var chosen = new List<long>();
        hardCount = 0;
        for (int c = 0; c < K; c++)
        {
            if (!_mined[c]) { chosen.AddRange(_pools[c]); continue; }
            var ranking = Ranking(_pools[c], losses);
            long hard = _capacity[c] - _randomCount[c];
            var picked = SelectHard(ranking, hard, _o.EpochSelection, _o.Beta, _o.NoiseGuardFraction, _rng);
            hardCount += picked.Count;
            var rest = ranking.Where(p => !picked.Contains(p)).ToArray();
            chosen.AddRange(picked);
            chosen.AddRange(Sample(rest, _capacity[c] - picked.Count));
        }
        chosen.Sort();
        return chosen.ToArray();
    }

    /// <summary>The hard part of a ranked pool (hardest first): the top rows after the noise guard, or a draw by percentile^beta.</summary>
    internal static HashSet<long> SelectHard(long[] ranking, long count, EpochSelection mode, double beta, double noiseGuard, Random rng)
    {
        int guard = (int)Math.Floor(noiseGuard * ranking.Length);
        var picked = new HashSet<long>();
        if (mode == EpochSelection.TopK)
        {
            for (int k = guard; k < ranking.Length && picked.Count < count; k++) picked.Add(ranking[k]);
            return picked;
        }
        // Efraimidis-Spirakis weighted sampling without replacement: key = ln(u) / w, keep the largest keys.
        int n = ranking.Length;
        var keys = new List<(double Key, long Row)>(n - guard);
        for (int k = guard; k < n; k++)
        {
            double percentile = n == 1 ? 1 : 1 - (double)k / (n - 1);
            double w = Math.Pow(percentile, beta);
            double u = rng.NextDouble();
            keys.Add((w > 0 ? Math.Log(1 - u) / w : double.NegativeInfinity, ranking[k]));
        }
        foreach (var (_, row) in keys.OrderByDescending(t => t.Key).ThenBy(t => t.Row).Take((int)Math.Min(count, keys.Count))) picked.Add(row);
        return picked;
    }

    /// <summary>Rows of a pool ordered hardest first (loss descending, then position ascending: a total order, so reproducible).</summary>
    internal static long[] Ranking(long[] pool, float[] losses)
    {
        var ranking = (long[])pool.Clone();
        Array.Sort(ranking, (a, b) => losses[a] != losses[b] ? losses[b].CompareTo(losses[a]) : a.CompareTo(b));
        return ranking;
    }

    private long[] CachedPositions(byte[] state)
    {
        var list = new List<long>();
        for (long i = 0; i < state.Length; i++) if (state[i] != NotCached) list.Add(i);
        return list.ToArray();
    }

    /// <summary>A uniform random sample of <paramref name="count"/> rows, in ascending order.</summary>
    private long[] Sample(long[] pool, long count)
    {
        if (count >= pool.Length) return (long[])pool.Clone();
        var copy = (long[])pool.Clone();
        for (int i = 0; i < count; i++)
        {
            int j = _rng.Next(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        var result = copy.AsSpan(0, (int)count).ToArray();
        Array.Sort(result);
        return result;
    }

    private static double Jaccard(HashSet<long> a, HashSet<long> b)
    {
        if (a.Count == 0 && b.Count == 0) return 1;
        long inter = a.Count(b.Contains);
        return (double)inter / (a.Count + b.Count - inter);
    }

    private sealed record LossStats(double P50, double P90, double P99, double Max, double Pool, double Cache, int MinedClasses, bool AllWithinTolerance);

    private LossStats Stats(float[] losses, byte[]? state)
    {
        var all = new List<float>();
        double pool = 0, cache = 0;
        int mined = 0;
        bool within = true;
        for (int c = 0; c < K; c++)
        {
            if (!_mined[c]) continue;
            mined++;
            double pc = 0, cc = 0;
            foreach (var p in _pools[c])
            {
                all.Add(losses[p]);
                pc += losses[p];
                if (state is not null && state[p] != NotCached) cc += losses[p];
            }
            pool += pc; cache += cc;
            if (pc > (1 + _o.ObjectiveTolerance) * cc) within = false;
        }
        if (all.Count == 0) return new LossStats(double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, 0, false);
        var sorted = all.ToArray();
        Array.Sort(sorted);
        double Q(double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * (sorted.Length - 1)))];
        return new LossStats(Q(0.5), Q(0.9), Q(0.99), sorted[^1], pool, state is null ? double.NaN : cache, mined, within);
    }
}
