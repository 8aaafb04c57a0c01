using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Data;

namespace Microsoft.ML.HardMining.Trainers;

/// <summary>The mining loop behind <see cref="HardMiningTrainer{TTransformer}"/>: one instance per <c>Fit</c>.</summary>
internal sealed partial class MiningEngine<TTransformer> where TTransformer : class, ITransformer
{
    private const byte NotCached = 0, CachedRandom = 1, CachedHard = 2;

    private readonly Func<IEstimator<TTransformer>> _newInner;
    private readonly HardMiningTrainerOptionsBase _o;
    private readonly MiningTask _task;
    private readonly Func<IDataView, TTransformer?, TTransformer>? _warm;
    private readonly IProgress<HardMiningRound>? _progress;
    private Random _rng;
    private int? _roundLimit;   // set for the rerun on all rows after the guard's decision
    private bool _rerun;        // the rerun's rounds are not reported

    // Set up by Prepare.
    private IDataView _input = null!;
    private int[] _rowClass = null!;
    private long[][] _pools = null!;          // training rows per class (holdout excluded), ascending
    private long[][] _holdoutPools = null!;   // held-out rows per class, ascending (empty when not held out)
    private long[] _capacity = null!;
    private long[] _randomCount = null!;
    private long[] _perRound = null!;
    private bool[] _mined = null!;
    private IDataView? _validation;
    // The training-data rows the holdout took, in the validation view's order; null for Validation.ValidationData.
    private long[]? _holdoutRows;
    private GuardMetric _metric;
    private int[] _validationClasses = [];
    private readonly List<double[]> _roundValidationValues = [];   // per scored round: what the guard's bootstrap resamples

    public MiningEngine(Func<IEstimator<TTransformer>> newInner, HardMiningTrainerOptionsBase options, MiningTask task,
        Func<IDataView, TTransformer?, TTransformer>? warm, IProgress<HardMiningRound>? progress)
    {
        _newInner = newInner;
        _o = options;
        _task = task;
        _warm = warm;
        _progress = progress;
        _rng = new Random(options.Seed);
    }

    private int K => _task.ClassCount;

    private int RoundLimit => _roundLimit ?? _o.MaxRounds;

    private IProgress<HardMiningRound>? Progress => _rerun ? null : _progress;

    private ValidationGuardOptions? Guard => _o.Validation.Enabled ? _o.Validation : null;

    public (TTransformer Model, HardMiningHistory History) Run(IDataView input)
    {
        Prepare(input);
        var rounds = new List<HardMiningRound>();
        var loop = _o.Schedule == MiningSchedule.PerEpoch ? RunPerEpoch(rounds) : RunOffline(rounds);
        return Decide(loop, rounds);
    }

    private void Prepare(IDataView input)
    {
        _input = input;
        _rowClass = _task.ReadClasses(input, "training data");
        var counts = CountClasses(_rowClass);
        _task.CheckCounts(counts, "training data");

        var isHoldout = new bool[_rowClass.Length];
        var guard = Guard;
        if (guard is not null)
        {
            _metric = guard.Metric ?? _task.DefaultMetric;
            if (guard.ValidationData is { } v)
            {
                CheckValidationSchema(input.Schema, v.Schema);
                _validationClasses = _task.ReadClasses(v, "validation data");
                CheckMetricComputable(CountClasses(_validationClasses), "Validation.ValidationData");
                _validation = v;
            }
            else
            {
                var holdout = StratifiedHoldout(guard.HoldoutFraction, counts);
                foreach (var p in holdout) isHoldout[p] = true;
                _validation = new RowSubsetDataView(input, holdout);
                _holdoutRows = holdout;
                _validationClasses = holdout.Select(p => _rowClass[p]).ToArray();
            }
        }

        var pools = Enumerable.Range(0, K).Select(_ => new List<long>()).ToArray();
        var holdoutPools = Enumerable.Range(0, K).Select(_ => new List<long>()).ToArray();
        for (long i = 0; i < _rowClass.Length; i++)
            (isHoldout[i] ? holdoutPools : pools)[_rowClass[i]].Add(i);
        _pools = pools.Select(p => p.ToArray()).ToArray();
        _holdoutPools = holdoutPools.Select(p => p.ToArray()).ToArray();
        _task.CheckCounts(_pools.Select(p => (long)p.Length).ToArray(), "training data left after the validation holdout");
        SizeCaches(input.Schema);
    }

    private void SizeCaches(DataViewSchema schema)
    {
        _capacity = new long[K];
        _mined = new bool[K];
        for (int c = 0; c < K; c++)
        {
            long pool = _pools[c].Length;
            long cap = _task.Capacity(c, pool);
            if (_o.MaxCacheRows > 0 && cap < pool) cap = Math.Min(cap, _o.MaxCacheRows);
            if (_o.MaxCacheRows > 0 && cap == pool && _task is BinaryMiningTask && c == 0) cap = Math.Min(cap, _o.MaxCacheRows);
            _capacity[c] = cap;
            _mined[c] = cap < pool;
        }

        if (_o.MaxCacheBytes > 0)
        {
            long rowBytes = RowSizeEstimate.Bytes(schema);
            long fixedRows = Enumerable.Range(0, K).Where(c => !_mined[c]).Sum(c => _capacity[c]);
            long minedRows = Enumerable.Range(0, K).Where(c => _mined[c]).Sum(c => _capacity[c]);
            long maxRows = _o.MaxCacheBytes / Math.Max(1, rowBytes);
            if (fixedRows + minedRows > maxRows)
            {
                if (fixedRows >= maxRows)
                    throw new ArgumentOutOfRangeException(nameof(HardMiningTrainerOptionsBase.MaxCacheBytes), _o.MaxCacheBytes,
                        $"MaxCacheBytes {_o.MaxCacheBytes:N0} holds about {maxRows:N0} rows of ~{rowBytes:N0} bytes, but the rows always trained on " +
                        $"(the classes that are not mined) are {fixedRows:N0}: raise MaxCacheBytes or lower the fractions.");
                double scale = (double)(maxRows - fixedRows) / minedRows;
                for (int c = 0; c < K; c++)
                    if (_mined[c]) _capacity[c] = Math.Max(1, (long)Math.Floor(_capacity[c] * scale));
            }
        }

        _randomCount = new long[K];
        _perRound = new long[K];
        for (int c = 0; c < K; c++)
        {
            if (!_mined[c]) { _randomCount[c] = _capacity[c]; continue; }
            long random = _o.RandomShare > 0 ? Math.Max(1, (long)Math.Round(_o.RandomShare * _capacity[c])) : 0;
            random = Math.Min(random, _capacity[c]);
            long room = _capacity[c] - random;
            if (_o.ExamplesPerRound > 0 && _o.Schedule == MiningSchedule.OfflineRounds && _o.ExamplesPerRound > room)
                throw new ArgumentOutOfRangeException(nameof(HardMiningTrainerOptionsBase.ExamplesPerRound), _o.ExamplesPerRound,
                    $"The cache of the {_task.ClassName(c)} rows holds {_capacity[c]:N0} rows, {random:N0} of them the kept random share, " +
                    $"which is smaller than one round's additions ({_o.ExamplesPerRound:N0}). Raise the cache (fraction or MaxCacheRows/MaxCacheBytes) " +
                    "or lower ExamplesPerRound.");
            _randomCount[c] = random;
            _perRound[c] = _o.ExamplesPerRound > 0 ? _o.ExamplesPerRound : (long)Math.Ceiling((double)room / _o.MaxRounds);
        }
    }

    private long[] CountClasses(int[] classes)
    {
        var counts = new long[K];
        foreach (var c in classes) counts[c]++;
        return counts;
    }

    private long[] StratifiedHoldout(double fraction, long[] counts)
    {
        var byClass = Enumerable.Range(0, K).Select(_ => new List<long>()).ToArray();
        for (long i = 0; i < _rowClass.Length; i++) byClass[_rowClass[i]].Add(i);
        var chosen = new List<long>();
        var validationCounts = new long[K];
        for (int c = 0; c < K; c++)
        {
            var rows = byClass[c].ToArray();
            _rng.Shuffle(rows);
            long take = (long)Math.Round(fraction * rows.Length);
            validationCounts[c] = take;
            if (rows.Length > 0 && (take == 0 || take == rows.Length) && (_task is BinaryMiningTask))
                throw new ArgumentException(
                    $"Validation.HoldoutFraction {fraction} leaves {(take == 0 ? "no" : "all")} {_task.ClassName(c)} rows " +
                    $"({rows.Length} in all) in the validation part, so {(take == 0 ? "the validation metric cannot be computed" : "none are left to train on")}. " +
                    "Change HoldoutFraction, give Validation.ValidationData, or add rows of that class.",
                    nameof(ValidationGuardOptions.HoldoutFraction));
            chosen.AddRange(rows.Take((int)take));
        }
        CheckMetricComputable(validationCounts, "the validation holdout");
        chosen.Sort();
        return chosen.ToArray();
    }

    private void CheckMetricComputable(long[] validationCounts, string what)
    {
        int present = validationCounts.Count(c => c > 0);
        if (_task is BinaryMiningTask && present < 2)
            throw new ArgumentException(
                $"{what} holds only {(validationCounts[1] > 0 ? "positive" : "negative")} rows, so the validation metric {_metric} cannot be computed: " +
                "it needs both classes. Give validation rows of both classes or change Validation.HoldoutFraction.", nameof(HardMiningTrainerOptionsBase.Validation));
        if (present < 2)
            throw new ArgumentException($"{what} holds rows of only one class: the validation metric {_metric} needs at least two.", nameof(HardMiningTrainerOptionsBase.Validation));
    }

    private static void CheckValidationSchema(DataViewSchema train, DataViewSchema validation)
    {
        foreach (var col in train.Where(c => !c.IsHidden))
        {
            var v = validation.GetColumnOrNull(col.Name);
            if (v is null)
                throw new ArgumentException(
                    $"Validation.ValidationData has no column '{col.Name}', which the training data has: give a validation view with the training data's schema.",
                    nameof(ValidationGuardOptions.ValidationData));
            if (!v.Value.Type.Equals(col.Type))
                throw new ArgumentException(
                    $"Column '{col.Name}' is {v.Value.Type} in Validation.ValidationData but {col.Type} in the training data: give a validation view with the training data's schema.",
                    nameof(ValidationGuardOptions.ValidationData));
        }
    }

    private TTransformer Train(long[] sortedPositions, TTransformer? previous, out TimeSpan elapsed)
    {
        var sw = Stopwatch.StartNew();
        // A trainer configured to read a weight column needs one in every round: unit weights unless the data brings its own.
        bool addUnitWeights = _o.ExampleWeightColumnName is { } w && _input.Schema.GetColumnOrNull(w) is null;
        var view = addUnitWeights
            ? new RowSubsetDataView(_input, sortedPositions, weights: UnitWeights(sortedPositions.Length), weightColumnName: _o.ExampleWeightColumnName!)
            : new RowSubsetDataView(_input, sortedPositions);
        var model = _o.Schedule == MiningSchedule.PerEpoch ? _warm!(view, previous) : _newInner().Fit(view);
        elapsed = sw.Elapsed;
        return model;
    }

    private static float[] UnitWeights(int count)
    {
        var w = new float[count];
        Array.Fill(w, 1f);
        return w;
    }

    private double? Validate(TTransformer model)
    {
        if (_validation is null) return null;
        var scored = model.Transform(_validation);
        var values = _task.ValidationValues(scored, _validationClasses, _metric);
        // Named here, by the row the user knows: the metric would report it by its index among the validation rows. The
        // threshold metrics' values are the scores themselves, which spares a second scoring pass to look for NaN.
        var nan = _metric is GuardMetric.FalsePositiveRateAtRecall or GuardMetric.AreaUnderPrecisionRecallCurve
            ? Array.FindIndex(values, double.IsNaN)
            : _task.FirstNaNScore(scored);
        if (nan >= 0)
            throw _task.NaNScore(_holdoutRows is null ? $"row {nan} of Validation.ValidationData" : $"row {_holdoutRows[nan]} of the training data (held out for validation)");
        _roundValidationValues.Add(values);
        return _task.Metric(scored, _metric);
    }

    private bool Better(double a, double b) => MiningTask.LowerIsBetter(_metric) ? a < b : a > b;
}
