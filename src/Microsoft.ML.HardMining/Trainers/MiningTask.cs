using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Evaluation;

namespace Microsoft.ML.HardMining.Trainers;

/// <summary>What differs between binary and multiclass mining: how labels map to classes, losses and metrics.</summary>
internal abstract class MiningTask
{
    protected MiningTask(HardMiningTrainerOptionsBase options) => Options = options;

    public HardMiningTrainerOptionsBase Options { get; }

    public abstract int ClassCount { get; }

    public abstract string ClassName(int c);

    public abstract GuardMetric DefaultMetric { get; }

    /// <summary>Reads every row's class index. Throws on a missing or mistyped label column, and on missing labels.</summary>
    public abstract int[] ReadClasses(IDataView data, string what);

    /// <summary>Checks that the class counts allow mining (for example: a binary task needs both classes).</summary>
    public abstract void CheckCounts(long[] counts, string what);

    /// <summary>Cache capacity (offline) or subset size (per epoch) of class <paramref name="c"/> with <paramref name="poolSize"/> training rows.</summary>
    public abstract long Capacity(int c, long poolSize);

    /// <summary>Checks that a fitted model writes a score column of the expected kind.</summary>
    public abstract void CheckModelOutput(DataViewSchema outputSchema);

    /// <summary>Checks the label column of an input shape, before any row is read (the trainer's <c>GetOutputSchema</c>), with
    /// the error <see cref="ReadClasses"/> would give.</summary>
    public abstract void CheckLabelShape(SchemaShape input);

    /// <summary>Checks the inner trainer's output shape for a score column of the expected kind, with the error
    /// <see cref="CheckModelOutput"/> would give after a first training.</summary>
    public abstract void CheckScoreShape(SchemaShape output);

    protected static SchemaShape.Column? Find(SchemaShape shape, string name) =>
        shape.Where(c => c.Name == name).Select(c => (SchemaShape.Column?)c).LastOrDefault();

    protected SchemaShape.Column LabelColumn(SchemaShape shape) => Find(shape, Options.LabelColumnName)
        ?? throw new ArgumentException(
            $"The training data has no label column '{Options.LabelColumnName}'. Columns present: {string.Join(", ", shape.Select(c => c.Name))}. Set LabelColumnName.");

    protected SchemaShape.Column ScoreColumn(SchemaShape shape) => Find(shape, Options.ScoreColumnName)
        ?? throw new InvalidOperationException(
            $"The inner trainer's output has no '{Options.ScoreColumnName}' column. Set ScoreColumnName to the column it writes, or use a classification trainer.");

    /// <summary>Throws when the score column says (ML.NET's <c>ScoreColumnKind</c> annotation) that another kind of trainer wrote it,
    /// e.g. a regression trainer's Single score under binary mining.</summary>
    protected static void RequireScoreKind(DataViewSchema.Column score, string expected, string advice)
    {
        if (score.Annotations.Schema.GetColumnOrNull("ScoreColumnKind") is not { Type: TextDataViewType }) return;
        ReadOnlyMemory<char> kind = default;
        score.Annotations.GetValue("ScoreColumnKind", ref kind);
        if (!kind.Span.SequenceEqual(expected))
            throw new InvalidOperationException($"The inner trainer writes '{score.Name}' as a {kind} score, not a {expected} one. {advice}");
    }

    /// <summary>Per-row loss of the scored rows, given the rows' class indices (read once before). Throws on a NaN score,
    /// naming the row (<see cref="NaNScore"/>).</summary>
    public abstract float[] Losses(IDataView scored, int[] rowClass);

    /// <summary>The index of the first row whose score is NaN (any class's, for a score vector), or -1.</summary>
    public abstract int FirstNaNScore(IDataView scored);

    /// <summary>
    /// A model scored a row NaN. Its loss would be infinite: ranked hardest, mined first, and making every loss total
    /// infinite, so the objective rule stopped mining at once, "converged". The row's features are the usual cause.
    /// </summary>
    /// <param name="row">Which row, in the user's terms (e.g. "row 912 of the training data").</param>
    public InvalidOperationException NaNScore(string row) => new(
        $"The inner model scores {row} as NaN in '{Options.ScoreColumnName}': that row's features are probably NaN or infinite. " +
        "Drop or impute such rows before mining (for example mlContext.Transforms.ReplaceMissingValues).");

    /// <summary>The guard's metric of a scored validation view.</summary>
    public double Metric(IDataView scored, GuardMetric metric) => MetricWithError(scored, metric).Value;

    /// <summary>The guard's metric of a scored validation view and its standard error (see <see cref="ValidationGuardOptions.MinImprovementInStandardErrors"/>).</summary>
    public abstract (double Value, double StandardError) MetricWithError(IDataView scored, GuardMetric metric);

    /// <summary>What the guard's bootstrap resamples per validation row: the score for threshold metrics (FPR at recall, AUPRC), the per-row loss or error otherwise.</summary>
    public double[] ValidationValues(IDataView scored, int[] labels, GuardMetric metric)
        => metric is GuardMetric.FalsePositiveRateAtRecall or GuardMetric.AreaUnderPrecisionRecallCurve ? ReadScores(scored) : RowValues(scored, labels, metric);

    /// <summary>Per-row values of a per-row metric (log-loss or 0/1 error).</summary>
    protected abstract double[] RowValues(IDataView scored, int[] labels, GuardMetric metric);

    /// <summary>The Single score per row (binary only).</summary>
    protected virtual double[] ReadScores(IDataView scored) => throw new InvalidOperationException("Threshold metrics need a binary score.");

    protected static double Binomial(double p, long n) => n <= 0 ? 0 : Math.Sqrt(Math.Max(0, p * (1 - p)) / n);

    protected static double MeanError(double sum, double sumSquares, long n)
    {
        if (n <= 1) return 0;
        double mean = sum / n;
        double variance = Math.Max(0, (sumSquares - n * mean * mean) / (n - 1));
        return Math.Sqrt(variance / n);
    }

    public static bool LowerIsBetter(GuardMetric metric) => metric != GuardMetric.AreaUnderPrecisionRecallCurve;

    public static string Format(GuardMetric metric, double value, double recall) => metric switch
    {
        GuardMetric.FalsePositiveRateAtRecall => $"FPR@R{recall * 100:0.##} {value:P2}",
        GuardMetric.AreaUnderPrecisionRecallCurve => $"AUPRC {value:0.0000}",
        GuardMetric.LogLoss => $"log-loss {value:0.0000}",
        _ => $"error rate {value:P2}",
    };

    protected DataViewSchema.Column ScoreColumn(DataViewSchema schema)
    {
        var col = schema.GetColumnOrNull(Options.ScoreColumnName);
        if (col is null)
            throw new InvalidOperationException(
                $"The inner trainer's output has no '{Options.ScoreColumnName}' column. Set ScoreColumnName to the column it writes, or use a classification trainer.");
        return col.Value;
    }

    protected static DataViewSchema.Column LabelColumn(DataViewSchema schema, string name, string what)
    {
        var col = schema.GetColumnOrNull(name);
        if (col is null)
            throw new ArgumentException(
                $"The {what} has no label column '{name}'. Columns present: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}. Set LabelColumnName.");
        return col.Value;
    }
}

/// <summary>Binary: class 0 = negative, class 1 = positive; the raw score is the margin.</summary>
internal sealed class BinaryMiningTask : MiningTask
{
    private readonly HardNegativeMiningOptions _options;

    public BinaryMiningTask(HardNegativeMiningOptions options) : base(options) => _options = options;

    public override int ClassCount => 2;

    public override string ClassName(int c) => c == 1 ? "positive" : "negative";

    public override GuardMetric DefaultMetric => GuardMetric.FalsePositiveRateAtRecall;

    public override int[] ReadClasses(IDataView data, string what)
    {
        var col = LabelColumn(data.Schema, Options.LabelColumnName, what);
        var result = new List<int>();
        using var cursor = data.GetRowCursor(new[] { col });
        if (col.Type == BooleanDataViewType.Instance)
        {
            var g = cursor.GetGetter<bool>(col);
            bool v = false;
            while (cursor.MoveNext()) { g(ref v); result.Add(v ? 1 : 0); }
        }
        else if (col.Type == NumberDataViewType.Single)
        {
            var g = cursor.GetGetter<float>(col);
            float v = 0;
            while (cursor.MoveNext())
            {
                g(ref v);
                if (float.IsNaN(v)) throw new InvalidOperationException($"Label column '{col.Name}' of the {what} holds NaN at row {result.Count}: drop unlabelled rows first.");
                result.Add(v > 0 ? 1 : 0);
            }
        }
        else
        {
            throw new ArgumentException(
                $"Label column '{col.Name}' of the {what} has type {col.Type}; binary hard-negative mining needs a Boolean (or Single) label. " +
                "For a key-typed label use the multiclass catalog's HardExampleMining.");
        }
        return result.ToArray();
    }

    public override void CheckCounts(long[] counts, string what)
    {
        if (counts[1] == 0)
            throw new ArgumentException($"The {what} has no positive rows in label column '{Options.LabelColumnName}': hard-negative mining needs both classes.");
        if (counts[0] == 0)
            throw new ArgumentException($"The {what} has no negative rows in label column '{Options.LabelColumnName}': there is nothing to mine.");
    }

    public override long Capacity(int c, long poolSize)
    {
        double f = c == 0 ? _options.NegativeFraction : _options.PositiveFraction;
        long cap = Math.Max(1, (long)Math.Ceiling(f * poolSize - 1e-9));
        return Math.Min(cap, poolSize);
    }

    public override void CheckModelOutput(DataViewSchema outputSchema)
    {
        var col = ScoreColumn(outputSchema);
        if (col.Type != NumberDataViewType.Single)
            throw NotABinaryScore(col.Name, col.Type.ToString() ?? "");
        RequireScoreKind(col, "BinaryClassification", "Wrap a binary classification trainer (for example FastTree or LbfgsLogisticRegression).");
    }

    public override void CheckLabelShape(SchemaShape input)
    {
        var col = LabelColumn(input);
        if (col.Kind != SchemaShape.Column.VectorKind.Scalar || col.IsKey || (col.ItemType is not BooleanDataViewType && col.ItemType != NumberDataViewType.Single))
            throw new ArgumentException(
                $"Label column '{col.Name}' of the training data has type {MinedColumnTypes.ColumnType.Of(col).Description}; " +
                "binary hard-negative mining needs a Boolean (or Single) label. For a key-typed label use the multiclass catalog's HardExampleMining.");
    }

    public override void CheckScoreShape(SchemaShape output)
    {
        var col = ScoreColumn(output);
        if (col.Kind != SchemaShape.Column.VectorKind.Scalar || col.IsKey || col.ItemType != NumberDataViewType.Single)
            throw NotABinaryScore(col.Name, MinedColumnTypes.ColumnType.Of(col).Description);
    }

    private static InvalidOperationException NotABinaryScore(string column, string type) => new(
        $"The inner trainer writes '{column}' as {type}, not a Single score: it is not a binary classification trainer. " +
        "Use mlContext.MulticlassClassification.Trainers.HardExampleMining for multiclass trainers.");

    public override float[] Losses(IDataView scored, int[] rowClass)
    {
        var col = ScoreColumn(scored.Schema);
        var losses = new float[rowClass.Length];
        using var cursor = scored.GetRowCursor(new[] { col });
        var g = cursor.GetGetter<float>(col);
        float s = 0;
        int i = 0;
        while (cursor.MoveNext())
        {
            g(ref s);
            if (float.IsNaN(s)) throw NaNScore($"row {i} of the training data");
            bool positive = rowClass[i] == 1;
            double loss = _options.Loss == HardnessLoss.Hinge ? ExampleLosses.Hinge(positive, s, _options.Margin)
                : ExampleLosses.LogLossFromScore(positive, s);
            losses[i++] = (float)loss;
        }
        if (i != rowClass.Length)
            throw new InvalidOperationException($"Scoring returned {i} rows for {rowClass.Length} training rows: the training view must enumerate the same rows each time.");
        return losses;
    }

    protected override double[] ReadScores(IDataView scored) => scored.GetColumn<float>(ScoreColumn(scored.Schema)).Select(s => (double)s).ToArray();

    public override int FirstNaNScore(IDataView scored)
    {
        var i = 0;
        foreach (var s in scored.GetColumn<float>(ScoreColumn(scored.Schema)))
        {
            if (float.IsNaN(s)) return i;
            i++;
        }
        return -1;
    }

    protected override double[] RowValues(IDataView scored, int[] labels, GuardMetric metric)
    {
        bool useProbability = metric == GuardMetric.LogLoss && scored.Schema.GetColumnOrNull("Probability") is { } p && p.Type == NumberDataViewType.Single;
        var values = scored.GetColumn<float>(useProbability ? "Probability" : Options.ScoreColumnName).ToArray();
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bool pos = labels[i] == 1;
            float v = values[i];
            result[i] = metric == GuardMetric.ErrorRate ? ((v > 0) == pos ? 0 : 1)
                : useProbability ? ExampleLosses.LogLossFromProbability(pos, v)
                : ExampleLosses.LogLossFromScore(pos, v);
        }
        return result;
    }

    public override (double Value, double StandardError) MetricWithError(IDataView scored, GuardMetric metric)
    {
        switch (metric)
        {
            case GuardMetric.FalsePositiveRateAtRecall:
            case GuardMetric.AreaUnderPrecisionRecallCurve:
                var curve = BinaryScoreCurve.Create(scored, Options.LabelColumnName, Options.ScoreColumnName);
                if (metric == GuardMetric.FalsePositiveRateAtRecall)
                {
                    double fpr = curve.FalsePositiveRateAtRecall(Options.Validation.TargetRecall);
                    return (fpr, Binomial(fpr, curve.Negatives));
                }
                double ap = curve.AreaUnderPrecisionRecallCurve;
                return (ap, Binomial(ap, curve.Positives));
            default:
                bool useProbability = metric == GuardMetric.LogLoss && scored.Schema.GetColumnOrNull("Probability") is { } p && p.Type == NumberDataViewType.Single;
                var labels = ReadClasses(scored, "validation data");
                var col = useProbability ? scored.Schema["Probability"] : ScoreColumn(scored.Schema);
                double sum = 0, sumSquares = 0;
                int i = 0;
                using (var cursor = scored.GetRowCursor(new[] { col }))
                {
                    var g = cursor.GetGetter<float>(col);
                    float v = 0;
                    while (cursor.MoveNext())
                    {
                        g(ref v);
                        bool pos = labels[i++] == 1;
                        double x = metric == GuardMetric.ErrorRate ? ((v > 0) == pos ? 0 : 1)
                            : useProbability ? ExampleLosses.LogLossFromProbability(pos, v)
                            : ExampleLosses.LogLossFromScore(pos, v);
                        sum += x;
                        sumSquares += x * x;
                    }
                }
                return (sum / Math.Max(1, i), MeanError(sum, sumSquares, i));
        }
    }
}

/// <summary>Multiclass: the key label's value − 1 is the class; the score vector holds per-class scores.</summary>
internal sealed class MulticlassMiningTask : MiningTask
{
    private readonly MulticlassHardMiningOptions _options;
    private int _classCount = -1;

    public MulticlassMiningTask(MulticlassHardMiningOptions options) : base(options) => _options = options;

    public override int ClassCount => _classCount > 0 ? _classCount : throw new InvalidOperationException("Classes not read yet.");

    public override string ClassName(int c) => $"class {c + 1}";

    public override GuardMetric DefaultMetric => GuardMetric.LogLoss;

    public override int[] ReadClasses(IDataView data, string what)
    {
        var col = LabelColumn(data.Schema, Options.LabelColumnName, what);
        if (col.Type is not KeyDataViewType key || col.Type.RawType != typeof(uint))
            throw new ArgumentException(
                $"Label column '{col.Name}' of the {what} has type {col.Type}; multiclass mining needs a UInt32 key label. " +
                "Add mlContext.Transforms.Conversion.MapValueToKey before, as the multiclass trainers need.");
        if (_classCount < 0) _classCount = checked((int)key.Count);
        else if (_classCount != (int)key.Count)
            throw new ArgumentException($"Label column '{col.Name}' of the {what} has {key.Count} classes, but the training data has {_classCount}: use the same key mapping.");
        var result = new List<int>();
        using var cursor = data.GetRowCursor(new[] { col });
        var g = cursor.GetGetter<uint>(col);
        uint v = 0;
        while (cursor.MoveNext())
        {
            g(ref v);
            if (v == 0) throw new InvalidOperationException($"Label column '{col.Name}' of the {what} holds a missing key at row {result.Count}: drop unlabelled rows first.");
            result.Add((int)v - 1);
        }
        return result.ToArray();
    }

    public override void CheckCounts(long[] counts, string what)
    {
        if (counts.Count(c => c > 0) < 2)
            throw new ArgumentException($"The {what} has fewer than two classes with rows in label column '{Options.LabelColumnName}': there is nothing to classify.");
    }

    public override long Capacity(int c, long poolSize)
    {
        long cap = (long)Math.Ceiling(_options.ClassFraction * poolSize - 1e-9);
        return Math.Min(poolSize, Math.Max(cap, _options.MinRowsPerClass));
    }

    public override void CheckModelOutput(DataViewSchema outputSchema)
    {
        var col = ScoreColumn(outputSchema);
        if (col.Type is not VectorDataViewType v || v.ItemType != NumberDataViewType.Single || v.Size != ClassCount)
            throw new InvalidOperationException(
                $"The inner trainer writes '{col.Name}' as {col.Type}, not a vector of {ClassCount} Single scores: it is not a multiclass classification trainer " +
                "over this label. Use mlContext.BinaryClassification.Trainers.HardNegativeMining for binary trainers.");
        RequireScoreKind(col, "MulticlassClassification", "Wrap a multiclass classification trainer (for example LbfgsMaximumEntropy or LightGbm).");
    }

    public override void CheckLabelShape(SchemaShape input)
    {
        var col = LabelColumn(input);
        if (col.Kind != SchemaShape.Column.VectorKind.Scalar || !col.IsKey || col.ItemType != NumberDataViewType.UInt32)
            throw new ArgumentException(
                $"Label column '{col.Name}' of the training data has type {MinedColumnTypes.ColumnType.Of(col).Description}; " +
                "multiclass mining needs a UInt32 key label. Add mlContext.Transforms.Conversion.MapValueToKey before, as the multiclass trainers need.");
    }

    // The class count is the label's, which a shape does not tell: the vector's length is checked after the first training.
    public override void CheckScoreShape(SchemaShape output)
    {
        var col = ScoreColumn(output);
        if (col.Kind == SchemaShape.Column.VectorKind.Scalar || col.IsKey || col.ItemType != NumberDataViewType.Single)
            throw new InvalidOperationException(
                $"The inner trainer writes '{col.Name}' as {MinedColumnTypes.ColumnType.Of(col).Description}, not a vector of Single scores: " +
                "it is not a multiclass classification trainer over this label. Use mlContext.BinaryClassification.Trainers.HardNegativeMining for binary trainers.");
    }

    /// <summary>Cross-entropy of the label; scores that are not a probability vector (all in [0, 1], summing to 1) go through a softmax.</summary>
    private static double CrossEntropy(int label, ReadOnlySpan<float> scores)
    {
        bool probabilities = true;
        double sum = 0;
        foreach (var s in scores) { if (!(s >= 0 && s <= 1)) { probabilities = false; break; } sum += s; }
        return ExampleLosses.CrossEntropy(label, scores, probabilities && Math.Abs(sum - 1) < 1e-3);
    }

    private void ForEachScore(IDataView scored, Action<int, ReadOnlySpan<float>> action)
    {
        var col = ScoreColumn(scored.Schema);
        using var cursor = scored.GetRowCursor(new[] { col });
        var g = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> v = default;
        var dense = new float[ClassCount];
        int i = 0;
        while (cursor.MoveNext())
        {
            g(ref v);
            v.CopyTo(dense);
            action(i++, dense);
        }
    }

    public override float[] Losses(IDataView scored, int[] rowClass)
    {
        var losses = new float[rowClass.Length];
        ForEachScore(scored, (i, s) =>
        {
            if (HasNaN(s)) throw NaNScore($"row {i} of the training data");
            losses[i] = (float)CrossEntropy(rowClass[i], s);
        });
        return losses;
    }

    public override int FirstNaNScore(IDataView scored)
    {
        var first = -1;
        ForEachScore(scored, (i, s) => { if (first < 0 && HasNaN(s)) first = i; });
        return first;
    }

    private static bool HasNaN(ReadOnlySpan<float> scores)
    {
        foreach (var s in scores) if (float.IsNaN(s)) return true;
        return false;
    }

    protected override double[] RowValues(IDataView scored, int[] labels, GuardMetric metric)
    {
        var result = new double[labels.Length];
        ForEachScore(scored, (i, s) =>
        {
            if (metric == GuardMetric.LogLoss) { result[i] = CrossEntropy(labels[i], s); return; }
            int best = 0;
            for (int k = 1; k < s.Length; k++) if (s[k] > s[best]) best = k;
            result[i] = best == labels[i] ? 0 : 1;
        });
        return result;
    }

    public override (double Value, double StandardError) MetricWithError(IDataView scored, GuardMetric metric)
    {
        var labels = ReadClasses(scored, "validation data");
        double sum = 0, sumSquares = 0;
        int n = 0;
        ForEachScore(scored, (i, s) =>
        {
            n++;
            double x;
            if (metric == GuardMetric.LogLoss) x = CrossEntropy(labels[i], s);
            else
            {
                int best = 0;
                for (int k = 1; k < s.Length; k++) if (s[k] > s[best]) best = k;
                x = best == labels[i] ? 0 : 1;
            }
            sum += x;
            sumSquares += x * x;
        });
        return (sum / Math.Max(1, n), MeanError(sum, sumSquares, n));
    }
}
