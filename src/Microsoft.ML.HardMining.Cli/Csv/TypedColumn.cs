using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Cli.Csv;

/// <summary>One typed, in-memory column of a <see cref="TableDataView"/>: Boolean, Single, Double, Int32, text, or a known-size Single vector.</summary>
public sealed class TypedColumn
{
    private TypedColumn(string name, DataViewType type, Array values)
    {
        Name = name;
        Type = type;
        Values = values;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>The ML.NET type.</summary>
    public DataViewType Type { get; }

    /// <summary>One value per row: <c>bool[]</c>, <c>float[]</c>, <c>double[]</c>, <c>int[]</c>, <c>ReadOnlyMemory&lt;char&gt;[]</c> or <c>float[][]</c>.</summary>
    public Array Values { get; }

    /// <summary>A Boolean column.</summary>
    /// <param name="name">The name.</param>
    /// <param name="values">The values.</param>
    public static TypedColumn Boolean(string name, bool[] values) => new(name, BooleanDataViewType.Instance, values);

    /// <summary>A Single column.</summary>
    /// <param name="name">The name.</param>
    /// <param name="values">The values.</param>
    public static TypedColumn Single(string name, float[] values) => new(name, NumberDataViewType.Single, values);

    /// <summary>A Double column.</summary>
    /// <param name="name">The name.</param>
    /// <param name="values">The values.</param>
    public static TypedColumn Double(string name, double[] values) => new(name, NumberDataViewType.Double, values);

    /// <summary>An Int32 column.</summary>
    /// <param name="name">The name.</param>
    /// <param name="values">The values.</param>
    public static TypedColumn Int32(string name, int[] values) => new(name, NumberDataViewType.Int32, values);

    /// <summary>A text column.</summary>
    /// <param name="name">The name.</param>
    /// <param name="values">The values.</param>
    public static TypedColumn Text(string name, string[] values) =>
        new(name, TextDataViewType.Instance, values.Select(v => v.AsMemory()).ToArray());

    /// <summary>A Single vector column of a known size.</summary>
    /// <param name="name">The name.</param>
    /// <param name="size">Items per row.</param>
    /// <param name="values">One array of <paramref name="size"/> items per row.</param>
    public static TypedColumn Vector(string name, int size, float[][] values) =>
        new(name, new VectorDataViewType(NumberDataViewType.Single, size), values);
}
