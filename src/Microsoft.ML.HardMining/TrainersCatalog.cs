using Microsoft.ML.HardMining.Diagnostics;
using Microsoft.ML.HardMining.Trainers;

namespace Microsoft.ML;

/// <summary>Catalog entries of the hard-example mining trainers.</summary>
public static class HardMiningTrainersCatalog
{
    /// <summary>
    /// Wraps a binary trainer in hard-negative mining with the default options: offline rounds from a 5% random start
    /// to a 20% cache of the negatives, a kept random share, a label-noise guard, and a validation guard that returns the
    /// plain baseline when mining does not beat it.
    /// </summary>
    /// <typeparam name="TTransformer">The inner trainer's transformer type (inferred).</typeparam>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="innerTrainer">Any binary trainer, or a pipeline ending in one (for example a normalizer followed by SDCA).</param>
    /// <param name="labelColumnName">The Boolean label column. Default <c>Label</c>.</param>
    /// <param name="negativeFraction">Share of the training negatives trained on. Default 0.2.</param>
    /// <param name="progress">Receives each round's record as it ends.</param>
    /// <returns>An estimator whose <c>Fit</c> returns the inner trainer's own transformer.</returns>
    /// <remarks>See <see cref="HardNegativeMiningOptions"/> for every option and docs/trainers.md for the evidence behind the defaults.</remarks>
    /// <example>
    /// <code>
    /// var trainer = mlContext.BinaryClassification.Trainers.HardNegativeMining(
    ///     mlContext.BinaryClassification.Trainers.FastTree(), negativeFraction: 0.2);
    /// var model = trainer.Fit(train);                 // the FastTree model, trained on the mined rows
    /// Console.WriteLine(trainer.History);             // rounds, cache sizes, why it stopped, which model was kept
    /// mlContext.Model.Save(model, train.Schema, "model.zip");
    /// </code>
    /// </example>
    public static HardMiningTrainer<TTransformer> HardNegativeMining<TTransformer>(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        IEstimator<TTransformer> innerTrainer,
        string labelColumnName = "Label",
        double negativeFraction = 0.2,
        IProgress<HardMiningRound>? progress = null)
        where TTransformer : class, ITransformer
        => HardNegativeMining(catalog, innerTrainer, new HardNegativeMiningOptions { LabelColumnName = labelColumnName, NegativeFraction = negativeFraction }, progress: progress);

    /// <summary>Wraps a binary trainer in hard-negative mining with the given options.</summary>
    /// <typeparam name="TTransformer">The inner trainer's transformer type (inferred).</typeparam>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="innerTrainer">Any binary trainer, or a pipeline ending in one.</param>
    /// <param name="options">The mining options.</param>
    /// <param name="continueTraining">For <see cref="MiningSchedule.PerEpoch"/> with a trainer this library does not know:
    /// (data, previous model or null) -> model, continuing from the previous model's parameters. Null for the known ones.</param>
    /// <param name="progress">Receives each round's record as it ends.</param>
    /// <returns>An estimator whose <c>Fit</c> returns the inner trainer's own transformer.</returns>
    /// <remarks>
    /// Offline rounds work with every trainer (SDCA, L-BFGS, FastTree, LightGbm, AveragedPerceptron, ...): mined rows are
    /// passed as rows, so trainers without example weights need nothing special. Per-epoch mining needs a trainer that
    /// continues from given parameters (AveragedPerceptron, LinearSvm, LbfgsLogisticRegression, SgdCalibrated, SgdNonCalibrated).
    /// </remarks>
    /// <example>
    /// <code>
    /// var trainer = mlContext.BinaryClassification.Trainers.HardNegativeMining(
    ///     mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(),
    ///     new HardNegativeMiningOptions { Schedule = MiningSchedule.PerEpoch, NegativeFraction = 0.1, MaxRounds = 5 });
    /// var model = trainer.Fit(train);
    /// </code>
    /// </example>
    public static HardMiningTrainer<TTransformer> HardNegativeMining<TTransformer>(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        IEstimator<TTransformer> innerTrainer,
        HardNegativeMiningOptions options,
        Func<IDataView, TTransformer?, TTransformer>? continueTraining = null,
        IProgress<HardMiningRound>? progress = null)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(innerTrainer);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy<HardNegativeMiningOptions>();
        return new HardMiningTrainer<TTransformer>(CatalogEnvironment.TryGet(catalog), innerTrainer, options, () => new BinaryMiningTask(options), continueTraining, progress);
    }

    /// <summary>
    /// Wraps a binary trainer in hard-negative mining, creating a fresh inner trainer for every fit (each round, the baseline,
    /// the refit). Use this for trainers that remember what they auto-tuned on their first fit.
    /// </summary>
    /// <typeparam name="TTransformer">The inner trainer's transformer type (inferred).</typeparam>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="innerTrainerFactory">Creates the inner trainer (or pipeline); called once per fit.</param>
    /// <param name="options">The mining options.</param>
    /// <param name="progress">Receives each round's record as it ends.</param>
    /// <returns>An estimator whose <c>Fit</c> returns the inner trainer's own transformer.</returns>
    /// <remarks>
    /// ML.NET's SDCA trainers auto-tune <c>L2Regularization</c> (and <c>MaximumNumberOfIterations</c> when unset) from the row
    /// count of their <b>first</b> training set and store the result in their options: an SDCA instance reused across rounds
    /// trains every later round, and the baseline, with the regularisation tuned for the small round-0 cache. Pass a factory,
    /// or set both options explicitly.
    /// </remarks>
    public static HardMiningTrainer<TTransformer> HardNegativeMining<TTransformer>(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        Func<IEstimator<TTransformer>> innerTrainerFactory,
        HardNegativeMiningOptions options,
        IProgress<HardMiningRound>? progress = null)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return FromFactory(CatalogEnvironment.TryGet(catalog), innerTrainerFactory, options, o => new BinaryMiningTask(o), progress);
    }

    /// <summary>Wraps a multiclass trainer in hard-example mining with the default options (a 20% cache of each class).</summary>
    /// <typeparam name="TTransformer">The inner trainer's transformer type (inferred).</typeparam>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="innerTrainer">Any multiclass trainer, or a pipeline ending in one.</param>
    /// <param name="labelColumnName">The key-typed label column. Default <c>Label</c>.</param>
    /// <param name="classFraction">Share of each class trained on. Default 0.2.</param>
    /// <param name="progress">Receives each round's record as it ends.</param>
    /// <returns>An estimator whose <c>Fit</c> returns the inner trainer's own transformer.</returns>
    /// <remarks>See <see cref="MulticlassHardMiningOptions"/> for every option.</remarks>
    /// <example>
    /// <code>
    /// var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
    ///     .Append(mlContext.MulticlassClassification.Trainers.HardExampleMining(
    ///         mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), classFraction: 0.3));
    /// var model = pipeline.Fit(train);
    /// </code>
    /// </example>
    public static HardMiningTrainer<TTransformer> HardExampleMining<TTransformer>(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        IEstimator<TTransformer> innerTrainer,
        string labelColumnName = "Label",
        double classFraction = 0.2,
        IProgress<HardMiningRound>? progress = null)
        where TTransformer : class, ITransformer
        => HardExampleMining(catalog, innerTrainer, new MulticlassHardMiningOptions { LabelColumnName = labelColumnName, ClassFraction = classFraction }, progress: progress);

    /// <summary>Wraps a multiclass trainer in hard-example mining with the given options.</summary>
    /// <typeparam name="TTransformer">The inner trainer's transformer type (inferred).</typeparam>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="innerTrainer">Any multiclass trainer, or a pipeline ending in one.</param>
    /// <param name="options">The mining options.</param>
    /// <param name="continueTraining">For per-epoch mining with a trainer this library does not know; null for LbfgsMaximumEntropy.</param>
    /// <param name="progress">Receives each round's record as it ends.</param>
    /// <returns>An estimator whose <c>Fit</c> returns the inner trainer's own transformer.</returns>
    /// <remarks>Each class is a pool: rows are ranked by cross-entropy under the current model and each class's cache keeps its hardest rows plus a random share.</remarks>
    /// <example>
    /// <code>
    /// var trainer = mlContext.MulticlassClassification.Trainers.HardExampleMining(
    ///     mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(),
    ///     new MulticlassHardMiningOptions { ClassFraction = 0.2, MinRowsPerClass = 100 });
    /// </code>
    /// </example>
    public static HardMiningTrainer<TTransformer> HardExampleMining<TTransformer>(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        IEstimator<TTransformer> innerTrainer,
        MulticlassHardMiningOptions options,
        Func<IDataView, TTransformer?, TTransformer>? continueTraining = null,
        IProgress<HardMiningRound>? progress = null)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(innerTrainer);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy<MulticlassHardMiningOptions>();
        return new HardMiningTrainer<TTransformer>(CatalogEnvironment.TryGet(catalog), innerTrainer, options, () => new MulticlassMiningTask(options), continueTraining, progress);
    }

    /// <summary>
    /// Wraps a multiclass trainer in hard-example mining, with a fresh inner trainer from <paramref name="innerTrainerFactory"/>
    /// for every round and the baseline: for trainers that store what they tune on their first fit (SdcaMaximumEntropy,
    /// SdcaNonCalibrated).
    /// </summary>
    /// <typeparam name="TTransformer">The inner trainer's transformer type (inferred).</typeparam>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="innerTrainerFactory">Makes a new inner trainer (or a pipeline ending in one) each time it is called.</param>
    /// <param name="options">The mining options.</param>
    /// <param name="progress">Receives each round's record as it ends.</param>
    /// <returns>An estimator whose <c>Fit</c> returns the inner trainer's own transformer.</returns>
    /// <example>
    /// <code>
    /// var trainer = mlContext.MulticlassClassification.Trainers.HardExampleMining(
    ///     () => mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(), new MulticlassHardMiningOptions());
    /// </code>
    /// </example>
    public static HardMiningTrainer<TTransformer> HardExampleMining<TTransformer>(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        Func<IEstimator<TTransformer>> innerTrainerFactory,
        MulticlassHardMiningOptions options,
        IProgress<HardMiningRound>? progress = null)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return FromFactory(CatalogEnvironment.TryGet(catalog), innerTrainerFactory, options, o => new MulticlassMiningTask(o), progress);
    }

    // Both catalogs' factory overloads: the first inner trainer is made now, for its output shape and its warm start.
    private static HardMiningTrainer<TTransformer> FromFactory<TTransformer, TOptions>(Microsoft.ML.Runtime.IHostEnvironment? environment,
        Func<IEstimator<TTransformer>> innerTrainerFactory, TOptions options, Func<TOptions, MiningTask> task, IProgress<HardMiningRound>? progress)
        where TTransformer : class, ITransformer
        where TOptions : HardMiningTrainerOptionsBase
    {
        ArgumentNullException.ThrowIfNull(innerTrainerFactory);
        ArgumentNullException.ThrowIfNull(options);
        var first = innerTrainerFactory() ?? throw new ArgumentException("The factory returned null.", nameof(innerTrainerFactory));
        var copy = options.Copy<TOptions>();
        return new HardMiningTrainer<TTransformer>(environment, first, copy, () => task(copy), null, progress, innerTrainerFactory);
    }
}
