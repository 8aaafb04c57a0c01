using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Diagnostics;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining.Trainers;

/// <summary>
/// A hard-example mining trainer around any ML.NET binary or multiclass trainer: it decides which rows the inner trainer
/// sees (offline rounds with a bounded cache, or per-epoch mining with warm start), guards the result on validation rows,
/// and returns the inner trainer's own transformer.
/// </summary>
/// <typeparam name="TTransformer">The inner trainer's transformer type, for example
/// <c>BinaryPredictionTransformer&lt;...&gt;</c> or a <c>TransformerChain</c> when the inner estimator is a pipeline.</typeparam>
/// <remarks>
/// <para>Created by <c>mlContext.BinaryClassification.Trainers.HardNegativeMining(inner, options)</c> or
/// <c>mlContext.MulticlassClassification.Trainers.HardExampleMining(inner, options)</c>. Because <see cref="Fit"/> returns
/// exactly what the inner trainer returns, the model saves, loads, predicts and exports like any ML.NET model; nothing of
/// the mining machinery stays in it.</para>
/// <para>The training view must enumerate the same rows in the same order every time (any ML.NET view without shuffling
/// does); rows are addressed by position. The view is never modified. Each <see cref="Fit"/> replaces <see cref="History"/>.</para>
/// </remarks>
public sealed class HardMiningTrainer<TTransformer> : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    private readonly IHostEnvironment? _environment;
    private readonly IEstimator<TTransformer> _inner;
    private readonly Func<IEstimator<TTransformer>> _newInner;
    private readonly MiningTaskFactory _taskFactory;
    private readonly HardMiningTrainerOptionsBase _options;
    private readonly Func<IDataView, TTransformer?, TTransformer>? _continueTraining;
    private readonly IProgress<HardMiningRound>? _progress;

    internal delegate MiningTask MiningTaskFactory();

    internal HardMiningTrainer(IHostEnvironment? environment, IEstimator<TTransformer> inner, HardMiningTrainerOptionsBase options,
        MiningTaskFactory taskFactory, Func<IDataView, TTransformer?, TTransformer>? continueTraining, IProgress<HardMiningRound>? progress,
        Func<IEstimator<TTransformer>>? innerFactory = null)
    {
        _environment = environment;
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _newInner = innerFactory ?? (() => inner);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Check();
        _taskFactory = taskFactory;
        _progress = progress;
        _continueTraining = continueTraining ?? WarmStart.TryResolve(inner);
        if (innerFactory is null && environment is not null && TrainerOf(inner).GetType().Name.StartsWith("Sdca", StringComparison.Ordinal))
            MiningLog.Warning(environment, "HardMiningTrainer",
                $"{TrainerOf(inner).GetType().Name} tunes L2Regularization (and the iteration count) on its first training set unless they are set, " +
                "and keeps them: one instance reused across mining rounds trains later rounds and the baseline with values tuned for the small first cache. " +
                $"Pass a factory ({(options is MulticlassHardMiningOptions ? "HardExampleMining" : "HardNegativeMining")}(() => trainer, options)) or set both options explicitly.");
        if (options.Schedule == MiningSchedule.PerEpoch && _continueTraining is null)
            throw new ArgumentException(
                $"The inner trainer {inner.GetType().Name} cannot continue training from a previous model, which per-epoch mining needs. " +
                "Use Schedule = MiningSchedule.OfflineRounds (works with any trainer), a warm-startable trainer (AveragedPerceptron, LinearSvm, " +
                "LbfgsLogisticRegression, SgdCalibrated, SgdNonCalibrated, LbfgsMaximumEntropy), or pass a continueTraining function.",
                "innerTrainer");
    }

    // The trainer at the end of a pipeline (EstimatorChain<T>.LastEstimator), or the estimator itself.
    private static object TrainerOf(object estimator)
    {
        var type = estimator.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EstimatorChain<>)
            && type.GetField(nameof(EstimatorChain<ITransformer>.LastEstimator))?.GetValue(estimator) is { } last)
            return TrainerOf(last);
        return estimator;
    }

    /// <summary>The record of the last <see cref="Fit"/>: rounds, stopping reason and the guard's verdict; null before the first fit.</summary>
    public HardMiningHistory? History { get; private set; }

    /// <summary>Runs the mining loop on <paramref name="input"/> and returns the chosen model of the inner trainer.</summary>
    /// <param name="input">The training rows; read several times, never modified.</param>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var engine = new MiningEngine<TTransformer>(_newInner, _options, _taskFactory(), _continueTraining, _progress);
        var (model, history) = engine.Run(input);
        History = history;
        if (_environment is not null) MiningLog.Info(_environment, "HardMiningTrainer", history.Verdict);
        return model;
    }

    /// <summary>
    /// The inner trainer's output schema (mining changes which rows are trained on, not the model's columns), after checking,
    /// before any row is read, the label column and that the inner trainer writes a score of the right kind.
    /// </summary>
    /// <remarks>When <see cref="HardMiningTrainerOptionsBase.ExampleWeightColumnName"/> names a column the data does not
    /// have, the inner trainer is shown it: mining supplies it (unit weights, class weights for the baseline).</remarks>
    /// <param name="inputSchema">The input schema shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var task = _taskFactory();
        task.CheckLabelShape(inputSchema);
        var weight = _options.ExampleWeightColumnName;
        var suppliesWeight = weight is not null && !inputSchema.Any(c => c.Name == weight);
        var shown = suppliesWeight ? SingleColumnShape.Add(inputSchema, weight!, _options.LabelColumnName) : inputSchema;
        var output = _inner.GetOutputSchema(shown);
        task.CheckScoreShape(output);
        return suppliesWeight ? new SchemaShape(output.Where(c => c.Name != weight)) : output;
    }
}
