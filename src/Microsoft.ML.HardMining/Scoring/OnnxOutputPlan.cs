using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Which model outputs are read, how they are interpreted, and which columns they become.</summary>
internal sealed class OnnxOutputPlan
{
    private OnnxOutputPlan(OnnxTensorInfo score, OnnxTensorInfo? probability, OnnxOutputKind kind, int valuesPerRow, OnnxScoringOptions options)
    {
        ScoreOutput = score;
        ProbabilityOutput = probability;
        Kind = kind;
        ValuesPerRow = valuesPerRow;
        ScoreColumnName = options.ScoreColumnName;
        ProbabilityColumnName = options.ProbabilityColumnName;
        RawColumnName = options.RawOutputColumnName;
        PositiveClassIndex = options.PositiveClassIndex;
        HasProbabilityColumn = valuesPerRow == 1
            ? probability is not null || kind != OnnxOutputKind.RawScore
            : options.PositiveClassIndex is not null;
        var columns = new List<(string, DataViewType)>
        {
            (ScoreColumnName, IsVector ? new VectorDataViewType(NumberDataViewType.Single, valuesPerRow) : NumberDataViewType.Single),
        };
        if (HasProbabilityColumn)
            columns.Add((ProbabilityColumnName, NumberDataViewType.Single));
        if (RawColumnName is not null)
            columns.Add((RawColumnName, new VectorDataViewType(NumberDataViewType.Single, valuesPerRow)));
        Columns = columns;
    }

    public OnnxTensorInfo ScoreOutput { get; }

    public OnnxTensorInfo? ProbabilityOutput { get; }

    /// <summary>Resolved kind, never <see cref="OnnxOutputKind.Auto"/>.</summary>
    public OnnxOutputKind Kind { get; }

    /// <summary>Score values per row: 1 for a binary model or a scalar regression, K for K classes.</summary>
    public int ValuesPerRow { get; }

    public bool IsVector => ValuesPerRow > 1;

    public bool HasProbabilityColumn { get; }

    public string ScoreColumnName { get; }

    public string ProbabilityColumnName { get; }

    public string? RawColumnName { get; }

    public int? PositiveClassIndex { get; }

    /// <summary>Added columns in schema order: score, probability (if any), raw (if asked).</summary>
    public IReadOnlyList<(string Name, DataViewType Type)> Columns { get; }

    public string[] OutputNames => ProbabilityOutput is null ? [ScoreOutput.Name] : [ScoreOutput.Name, ProbabilityOutput.Name];

    public static OnnxOutputPlan Create(OnnxModelInfo model, OnnxScoringOptions options, int? fixedBatch)
    {
        var score = options.ScoreOutputName is not null
            ? Find(model, options.ScoreOutputName, nameof(OnnxScoringOptions.ScoreOutputName))
            : AutoScoreOutput(model);
        OnnxTensorInfo? probability = null;
        if (options.ProbabilityOutputName is not null)
            probability = Find(model, options.ProbabilityOutputName, nameof(OnnxScoringOptions.ProbabilityOutputName));
        else if (options.ScoreOutputName is null)
            probability = model.Outputs.FirstOrDefault(o => !ReferenceEquals(o, score) && o.Name.StartsWith("Probability", StringComparison.OrdinalIgnoreCase) && o.IsTensor && o.ElementType == typeof(float));

        var k = CheckScoreLike(model, score, fixedBatch);
        if (probability is not null && (CheckScoreLike(model, probability, fixedBatch) != 1 || k != 1))
            throw new ArgumentException(
                $"Model '{model.ModelFileName}': probability output '{probability.Name}' {probability.ShapeText} with score output '{score.Name}' {score.ShapeText}: " +
                "a separate probability output is supported for binary models only (one value per row in both). Leave ProbabilityOutputName unset.",
                nameof(options));

        var kind = options.OutputKind == OnnxOutputKind.Auto ? AutoKind(score.Name) : options.OutputKind;
        if (options.PositiveClassIndex is int cls && (k == 1 || cls < 0 || cls >= k))
            throw new ArgumentOutOfRangeException(nameof(options), cls,
                $"{nameof(OnnxScoringOptions.PositiveClassIndex)} {cls} does not name a class of output '{score.Name}' {score.ShapeText} ({k} value(s) per row); use 0..{k - 1} with a multiclass output, or leave it unset.");
        CheckColumnNames(options);
        return new OnnxOutputPlan(score, probability, kind, k, options);
    }

    /// <summary>Name-based kind: outputs named like probabilities hold probabilities, others logits.</summary>
    public static OnnxOutputKind AutoKind(string outputName)
    {
        var n = outputName.ToLowerInvariant();
        return n.Contains("prob", StringComparison.Ordinal) || n.Contains("softmax", StringComparison.Ordinal) || n.Contains("sigmoid", StringComparison.Ordinal)
            ? OnnxOutputKind.Probabilities
            : OnnxOutputKind.Logits;
    }

    private static void CheckColumnNames(OnnxScoringOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ScoreColumnName))
            throw new ArgumentException($"{nameof(OnnxScoringOptions.ScoreColumnName)} is empty.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.ProbabilityColumnName))
            throw new ArgumentException($"{nameof(OnnxScoringOptions.ProbabilityColumnName)} is empty.", nameof(options));
        var names = new[] { options.ScoreColumnName, options.ProbabilityColumnName, options.RawOutputColumnName }.Where(n => n is not null).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ArgumentException($"Output column names must differ: Score '{options.ScoreColumnName}', Probability '{options.ProbabilityColumnName}', Raw '{options.RawOutputColumnName}'.", nameof(options));
    }

    private static OnnxTensorInfo Find(OnnxModelInfo model, string name, string optionName)
        => model.Outputs.FirstOrDefault(o => o.Name == name)
           ?? throw new ArgumentException($"Model '{model.ModelFileName}' has no output '{name}' (from {optionName}); its outputs are {model.Describe(model.Outputs)}.", optionName);

    private static OnnxTensorInfo AutoScoreOutput(OnnxModelInfo model)
    {
        var floats = model.Outputs.Where(o => o.IsTensor && o.ElementType == typeof(float)).ToArray();
        if (model.Outputs.Count == 1)
            return model.Outputs[0];
        var named = floats.FirstOrDefault(o => o.Name.StartsWith("Score", StringComparison.OrdinalIgnoreCase));
        if (named is not null)
            return named;
        if (floats.Length == 1)
            return floats[0];
        throw new ArgumentException(
            $"Model '{model.ModelFileName}' has several outputs ({model.Describe(model.Outputs)}) and none is named 'Score...': set {nameof(OnnxScoringOptions.ScoreOutputName)}.",
            nameof(OnnxScoringOptions.ScoreOutputName));
    }

    /// <summary>Checks that an output can hold per-row scores and returns its values per row.</summary>
    private static int CheckScoreLike(OnnxModelInfo model, OnnxTensorInfo output, int? fixedBatch)
    {
        string? problem = null;
        if (!output.IsTensor)
            problem = "it is not a tensor (a sequence or map, such as a ZipMap of class probabilities)";
        else if (output.ElementType != typeof(float))
            problem = $"its elements are {output.ElementType.Name}, not Single (labels or ids are not scores)";
        else if (output.Dimensions.Length == 0)
            problem = "it is a scalar, with no batch axis";
        else if (output.Dimensions[0] > 0 && output.Dimensions[0] != (fixedBatch ?? -1))
            problem = $"its first axis ({output.Dimensions[0]}) is not the batch axis of the inputs ({(fixedBatch is int b ? b.ToString(System.Globalization.CultureInfo.InvariantCulture) : "dynamic")})";
        else if (output.Dimensions.Skip(1).Any(d => d <= 0))
            problem = "its non-batch dimensions are not fixed";
        if (problem is not null)
            throw new ArgumentException(
                $"Model '{model.ModelFileName}' output '{output.Name}' {output.ShapeText} holds neither scores nor probabilities: {problem}. " +
                $"Expected a float tensor [batch, values...]. Choose another output with {nameof(OnnxScoringOptions.ScoreOutputName)}; the outputs are {model.Describe(model.Outputs)}.",
                nameof(OnnxScoringOptions.ScoreOutputName));
        long size = 1;
        foreach (var d in output.Dimensions.Skip(1))
            size *= d;
        if (size > int.MaxValue / 2)
            throw new ArgumentException($"Model '{model.ModelFileName}' output '{output.Name}' {output.ShapeText} has too many values per row ({size}).", nameof(OnnxScoringOptions.ScoreOutputName));
        return (int)size;
    }
}
