using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

/// <summary>
/// The columns the options make the miner read, and the types each may have: one check that <see cref="LossReader"/> runs on
/// a schema at fit time and <see cref="HardExampleMiningEstimator.GetOutputSchema"/> runs on a schema shape before it, so a
/// pipeline with a wrong column fails before any data is read, with the same message either way.
/// </summary>
/// <remarks>What only the real schema can tell — a key's count, a vector's length — <see cref="LossReader"/> checks after this.</remarks>
internal static class MinedColumnTypes
{
    /// <summary>A column's type as both a schema and a schema shape can describe it.</summary>
    internal readonly record struct ColumnType(DataViewType ItemType, bool IsKey, bool IsVector, string Description)
    {
        public static ColumnType Of(DataViewType type) => type is VectorDataViewType vector
            ? new(vector.ItemType, vector.ItemType is KeyDataViewType, true, type.ToString() ?? "")
            : new(type, type is KeyDataViewType, false, type.ToString() ?? "");

        // A shape's key column has the key's raw number type as its item type and IsKey set.
        public static ColumnType Of(SchemaShape.Column column)
        {
            var item = column.IsKey ? $"Key<{column.ItemType}>" : column.ItemType.ToString() ?? "";
            var vector = column.Kind != SchemaShape.Column.VectorKind.Scalar;
            return new(column.ItemType, column.IsKey, vector, vector ? $"Vector<{item}>" : item);
        }

        public bool IsScalarNumber(params NumberDataViewType[] types) => !IsVector && !IsKey && types.Contains(ItemType);
    }

    /// <summary>Throws when a column the options read is missing or of a type the miner cannot read.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="find">The type of a column by name, or null when there is none.</param>
    /// <param name="present">The columns there are, for the message.</param>
    /// <param name="scoresFromScorer">True when the score, probability and loss columns come from <see cref="HardExampleMiningOptions.Scorer"/>
    /// and cannot be seen yet; they are checked on the scored schema.</param>
    public static void Check(HardExampleMiningOptions options, Func<string, ColumnType?> find, Func<string> present, bool scoresFromScorer)
    {
        var label = Require(options.LabelColumnName, nameof(options.LabelColumnName), find, present, options);
        var multiclass = options.Loss == MiningLossKind.CrossEntropy;
        if (multiclass ? label.IsVector || !label.IsKey : !IsBinaryLabel(label))
            throw Error(options.LabelColumnName, nameof(options.LabelColumnName), multiclass
                ? $"is {label.Description}, but the multiclass cross-entropy loss needs a key label (use mlContext.Transforms.Conversion.MapValueToKey)"
                : $"is {label.Description}, but a binary loss needs a Boolean, Single or Double label (positive when > 0)" +
                  (label.IsKey && !label.IsVector ? "; for a key label use Loss = MiningLossKind.CrossEntropy" : ""));

        if (!scoresFromScorer)
        {
            if (ReadsScore(options))
            {
                var score = Require(options.ScoreColumnName, nameof(options.ScoreColumnName), find, present, options);
                if (multiclass ? !score.IsVector || score.IsKey || score.ItemType != NumberDataViewType.Single : !IsBinaryScore(score))
                    throw Error(options.ScoreColumnName, nameof(options.ScoreColumnName), multiclass
                        ? $"is {score.Description}, but the cross-entropy loss needs a vector of Single class scores"
                        : $"is {score.Description}, but it must be a Single or Double value (or a Single vector of length 1)");
            }
            if (ReadsProbability(options)) RequireBinaryScore(options.ProbabilityColumnName!, nameof(options.ProbabilityColumnName), find, present, options);
            if (options.Loss == MiningLossKind.Column) RequireBinaryScore(options.LossColumnName!, nameof(options.LossColumnName), find, present, options);
        }
        if (options.GroupColumnName is { } groupName)
        {
            var group = Require(groupName, nameof(options.GroupColumnName), find, present, options);
            if (!IsGroup(group))
                throw Error(groupName, nameof(options.GroupColumnName), $"is {group.Description}; a group column must be text, a key, Int32, Int64, UInt32, Single or Double");
        }
        if (options.BoxColumnName is { } boxName)
        {
            var box = Require(boxName, nameof(options.BoxColumnName), find, present, options);
            if (!box.IsVector || box.IsKey || box.ItemType != NumberDataViewType.Single)
                throw Error(boxName, nameof(options.BoxColumnName), $"is {box.Description}; a box column must be a vector of 4 Single values (x1, y1, x2, y2)");
        }
    }

    /// <summary>Whether the loss reads the score column (otherwise the probability or the loss column stands in for it).</summary>
    public static bool ReadsScore(HardExampleMiningOptions options) => options.Loss switch
    {
        MiningLossKind.Column => false,
        MiningLossKind.Hinge or MiningLossKind.CrossEntropy => true,
        _ => options.ProbabilityColumnName is null,
    };

    /// <summary>Whether the loss reads the probability column.</summary>
    public static bool ReadsProbability(HardExampleMiningOptions options) =>
        options.ProbabilityColumnName is not null && options.Loss is MiningLossKind.LogLoss or MiningLossKind.Squared or MiningLossKind.Focal;

    private static bool IsBinaryLabel(ColumnType t) =>
        !t.IsVector && !t.IsKey && (t.ItemType is BooleanDataViewType || t.IsScalarNumber(NumberDataViewType.Single, NumberDataViewType.Double));

    // A vector's length is unknown on a shape: LossReader checks that it is 1.
    private static bool IsBinaryScore(ColumnType t) =>
        t.IsScalarNumber(NumberDataViewType.Single, NumberDataViewType.Double) || (t.IsVector && !t.IsKey && t.ItemType == NumberDataViewType.Single);

    // The types LossReader's group reader turns into a group name.
    private static bool IsGroup(ColumnType t) => !t.IsVector && (t.IsKey || t.ItemType is TextDataViewType
        || t.IsScalarNumber(NumberDataViewType.Int32, NumberDataViewType.Int64, NumberDataViewType.UInt32, NumberDataViewType.Single, NumberDataViewType.Double));

    private static void RequireBinaryScore(string name, string option, Func<string, ColumnType?> find, Func<string> present, HardExampleMiningOptions options)
    {
        var column = Require(name, option, find, present, options);
        if (!IsBinaryScore(column))
            throw Error(name, option, $"is {column.Description}, but it must be a Single or Double value (or a Single vector of length 1)");
    }

    private static ColumnType Require(string name, string option, Func<string, ColumnType?> find, Func<string> present, HardExampleMiningOptions options)
    {
        if (find(name) is { } type) return type;
        // With a scorer, the score columns are looked for in its output: telling the user to set one would be no help.
        var advice = options.Scorer is not null && option is nameof(options.ScoreColumnName) or nameof(options.ProbabilityColumnName) or nameof(options.LossColumnName)
            ? $"The Scorer's output has no such column: set {option} to the column its model writes."
            : "Name an existing column, or set a Scorer that adds it.";
        throw new ArgumentOutOfRangeException(option,
            $"Column '{name}' ({nameof(HardExampleMiningOptions)}.{option}) is not in the data. Columns present: {present()}. {advice}");
    }

    public static ArgumentOutOfRangeException Error(string column, string option, string problem) =>
        new(option, $"Column '{column}' ({nameof(HardExampleMiningOptions)}.{option}) {problem}.");
}
