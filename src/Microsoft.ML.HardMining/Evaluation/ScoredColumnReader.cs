using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Evaluation;

/// <summary>Reads a label column and a score column of a scored <see cref="IDataView"/> into arrays, with clear errors.</summary>
internal static class ScoredColumnReader
{
    /// <summary>Reads (label, score) pairs. A label is positive when it is <c>true</c> (Boolean) or greater than zero (numeric).</summary>
    public static (bool[] Labels, double[] Scores) Read(IDataView data, string labelColumnName, string scoreColumnName, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data, parameterName);
        var labelCol = Find(data.Schema, labelColumnName, "label", nameof(labelColumnName));
        var scoreCol = Find(data.Schema, scoreColumnName, "score", nameof(scoreColumnName));
        var labelGetterFactory = LabelGetter(labelCol);
        var scoreGetterFactory = ScoreGetter(scoreCol);

        var labels = new List<bool>();
        var scores = new List<double>();
        using var cursor = data.GetRowCursor(new[] { labelCol, scoreCol });
        var getLabel = labelGetterFactory(cursor);
        var getScore = scoreGetterFactory(cursor);
        long row = 0;
        while (cursor.MoveNext())
        {
            double score = getScore();
            if (double.IsNaN(score))
                throw new InvalidOperationException(
                    $"Score column '{scoreColumnName}' holds NaN at row {row}. Curves need a finite or infinite score for every row: fix the model or drop those rows first.");
            labels.Add(getLabel(row, labelColumnName));
            scores.Add(score);
            row++;
        }
        return (labels.ToArray(), scores.ToArray());
    }

    // The caller's parameter names (labelColumnName, scoreColumnName) are the ones an exception names.
    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"Name the {role} column (for example \"{(role == "label" ? "Label" : "Score")}\").", parameter);
        var col = schema.GetColumnOrNull(name);
        if (col is null)
            throw new ArgumentException(
                $"The scored data has no {role} column '{name}'. Columns present: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}. Pass the right {role} column name.", parameter);
        return col.Value;
    }

    private static Func<DataViewRowCursor, Func<long, string, bool>> LabelGetter(DataViewSchema.Column col)
    {
        var type = col.Type;
        if (type == BooleanDataViewType.Instance)
            return c => { var g = c.GetGetter<bool>(col); bool v = false; return (_, _) => { g(ref v); return v; }; };
        if (type == NumberDataViewType.Single)
            return c => { var g = c.GetGetter<float>(col); float v = 0; return (r, n) => { g(ref v); return NumericLabel(v, r, n); }; };
        if (type == NumberDataViewType.Double)
            return c => { var g = c.GetGetter<double>(col); double v = 0; return (r, n) => { g(ref v); return NumericLabel(v, r, n); }; };
        throw new ArgumentException(
            $"Label column '{col.Name}' has type {type}; a binary label must be Boolean, Single or Double (positive when > 0). Convert it first.", "labelColumnName");
    }

    private static bool NumericLabel(double v, long row, string name)
    {
        if (double.IsNaN(v))
            throw new InvalidOperationException($"Label column '{name}' holds NaN at row {row}: drop or fix unlabelled rows first.");
        return v > 0;
    }

    private static Func<DataViewRowCursor, Func<double>> ScoreGetter(DataViewSchema.Column col)
    {
        var type = col.Type;
        if (type == NumberDataViewType.Single)
            return c => { var g = c.GetGetter<float>(col); float v = 0; return () => { g(ref v); return v; }; };
        if (type == NumberDataViewType.Double)
            return c => { var g = c.GetGetter<double>(col); double v = 0; return () => { g(ref v); return v; }; };
        if (type is VectorDataViewType vt && vt.Size == 1 && vt.ItemType == NumberDataViewType.Single)
            return c =>
            {
                var g = c.GetGetter<VBuffer<float>>(col);
                VBuffer<float> v = default;
                return () => { g(ref v); return v.GetItemOrDefault(0); };
            };
        throw new ArgumentException(
            $"Score column '{col.Name}' has type {type}; it must be Single, Double or a Single vector of length 1 (as after ApplyOnnxModel).", "scoreColumnName");
    }
}
