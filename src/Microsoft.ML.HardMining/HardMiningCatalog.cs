using Microsoft.ML.HardMining;
using Microsoft.ML.HardMining.Diagnostics;
using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>Hard-example mining in ML.NET pipelines: <c>mlContext.Transforms.HardExampleMining(...)</c>.</summary>
public static class HardMiningCatalog
{
    /// <summary>
    /// Keeps the training rows a model gets most wrong: every positive and the hardest negatives (by default 20% of the negatives,
    /// a quarter of that drawn at random), and hands that rebalanced view to the next estimator, usually the trainer.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="labelColumnName">The label column (Boolean, or Single/Double positive when &gt; 0).</param>
    /// <param name="scoreColumnName">The raw score column (log-loss goes through its sigmoid).</param>
    /// <param name="negatives">The negative budget, hard and random together; default 20% of the negatives.</param>
    /// <param name="positives">The positive budget; default all.</param>
    /// <param name="negativesPerPositive">Caps negatives at this many per selected positive; 0 (default) for no cap.</param>
    /// <param name="randomShare">The share of each budget drawn at random from the easier rows; default 0.25.</param>
    /// <param name="scorer">A fitted model applied first to produce the score column, e.g. the model of a first training run; default none.</param>
    /// <param name="seed">The seed of the random share; default 0.</param>
    /// <returns>An estimator whose fitted transformer exposes the mined rows of the data it was fitted on.</returns>
    /// <remarks>
    /// A training-time step: the fitted transformer mines the very view it was fitted on, passes every other view through, and saves
    /// as the identity. See <see cref="HardExampleMiningEstimator"/>.
    /// </remarks>
    /// <example>
    /// <code>
    /// var mlContext = new MLContext(seed: 1);
    /// var firstModel = mlContext.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(train);
    /// var pipeline = mlContext.Transforms.HardExampleMining(scorer: firstModel, negatives: MiningBudget.Fraction(0.2))
    ///     .Append(mlContext.BinaryClassification.Trainers.FastTree());
    /// var model = pipeline.Fit(train);          // FastTree trains on all positives + 20% of the negatives (15% hardest, 5% at random)
    /// mlContext.Model.Save(model, train.Schema, "model.zip");
    /// </code>
    /// </example>
    public static HardExampleMiningEstimator HardExampleMining(this TransformsCatalog catalog,
        string labelColumnName = "Label", string scoreColumnName = "Score", MiningBudget? negatives = null, MiningBudget? positives = null,
        double negativesPerPositive = 0, double randomShare = 0.25, ITransformer? scorer = null, int seed = 0)
    {
        var options = new HardExampleMiningOptions
        {
            LabelColumnName = labelColumnName,
            ScoreColumnName = scoreColumnName,
            Negatives = negatives ?? MiningBudget.Fraction(0.2),
            Positives = positives ?? MiningBudget.All,
            NegativesPerPositive = negativesPerPositive,
            RandomShare = randomShare,
            Scorer = scorer,
            Seed = seed,
        };
        return HardExampleMining(catalog, options);
    }

    /// <summary>Hard-example mining with every option (loss, groups, NMS, noise guard, stochastic selection, weight output).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options; checked now, so a bad option fails before any data is read.</param>
    /// <returns>An estimator whose fitted transformer exposes the mined rows of the data it was fitted on.</returns>
    /// <remarks>See <see cref="HardExampleMiningEstimator"/> for the training-time-only contract.</remarks>
    /// <example>
    /// <code>
    /// var pipeline = mlContext.Transforms.HardExampleMining(new HardExampleMiningOptions
    ///     {
    ///         Scorer = firstModel,
    ///         Negatives = MiningBudget.Count(5000),
    ///         NoiseGuardFraction = 0.01,
    ///         Output = MiningOutputMode.Weight,
    ///     })
    ///     .Append(mlContext.BinaryClassification.Trainers.LightGbm(exampleWeightColumnName: "Weight"));
    /// </code>
    /// </example>
    public static HardExampleMiningEstimator HardExampleMining(this TransformsCatalog catalog, HardExampleMiningOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        IHostEnvironment environment = CatalogEnvironment.TryGet(catalog) ?? new MLContext();
        return new HardExampleMiningEstimator(environment, options);
    }
}
