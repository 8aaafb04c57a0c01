using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.HardMining.Trainers;

/// <summary>Finds how to continue training an ML.NET trainer from a previous model (warm start), where ML.NET offers it.</summary>
internal static class WarmStart
{
    /// <summary>
    /// A function (data, previous model or null) -> model for the trainers whose <c>Fit(IDataView, parameters)</c> continues
    /// from given parameters; null for every other trainer.
    /// </summary>
    public static Func<IDataView, TTransformer?, TTransformer>? TryResolve<TTransformer>(IEstimator<TTransformer> trainer)
        where TTransformer : class, ITransformer
    {
        Func<IDataView, object?, object>? f = trainer switch
        {
            AveragedPerceptronTrainer t => (d, m) => m is null ? t.Fit(d) : t.Fit(d, Linear(m)),
            LinearSvmTrainer t => (d, m) => m is null ? t.Fit(d) : t.Fit(d, Linear(m)),
            LbfgsLogisticRegressionBinaryTrainer t => (d, m) => m is null ? t.Fit(d) : t.Fit(d, Linear(m)),
            SgdCalibratedTrainer t => (d, m) => m is null ? t.Fit(d) : t.Fit(d, Linear(m)),
            SgdNonCalibratedTrainer t => (d, m) => m is null ? t.Fit(d) : t.Fit(d, Linear(m)),
            LbfgsMaximumEntropyMulticlassTrainer t => (d, m) => m is null ? t.Fit(d)
                : t.Fit(d, ((MulticlassPredictionTransformer<MaximumEntropyModelParameters>)m).Model),
            _ => null,
        };
        return f is null ? null : (d, m) => (TTransformer)f(d, m);
    }

    /// <summary>The linear parameters inside a binary prediction transformer, calibrated or not.</summary>
    private static LinearModelParameters Linear(object transformer) => transformer switch
    {
        BinaryPredictionTransformer<LinearBinaryModelParameters> t => t.Model,
        BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> t => t.Model.SubModel,
        ISingleFeaturePredictionTransformer<object> t when t.Model is LinearModelParameters lm => lm,
        _ => throw new InvalidOperationException($"Cannot read linear parameters out of {transformer.GetType().Name} to continue training."),
    };
}
