using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

/// <summary>
/// Adds a Single scalar column to a schema shape — the weight column that mining supplies — for an estimator's
/// <c>GetOutputSchema</c>. <c>SchemaShape.Column</c> has no public constructor, so a type conversion estimator describes
/// the column: converting an existing scalar column to Single.
/// </summary>
internal static class SingleColumnShape
{
    /// <param name="shape">The input shape.</param>
    /// <param name="name">The column to add (it replaces a column of that name).</param>
    /// <param name="convertibleColumn">An existing scalar column of the shape convertible to Single, such as the label: the
    /// fallback source when no plain scalar column is there.</param>
    public static SchemaShape Add(SchemaShape shape, string name, string convertibleColumn)
    {
        // The conversion copies its source's annotations (a key label's KeyValues, a score's ScoreColumnKind), which the
        // column that mining writes has none of: a plain number or Boolean without annotations is the better source.
        var source = shape.Where(c => c.Kind == SchemaShape.Column.VectorKind.Scalar && !c.IsKey && !c.Annotations.Any()
                && (c.ItemType is NumberDataViewType or BooleanDataViewType))
            .Select(c => c.Name).FirstOrDefault() ?? convertibleColumn;
        var converted = new MLContext().Transforms.Conversion.ConvertType(name, source, DataKind.Single).GetOutputSchema(shape);
        var column = converted.Last(c => c.Name == name);
        return new SchemaShape(shape.Where(c => c.Name != name).Append(column));
    }
}
