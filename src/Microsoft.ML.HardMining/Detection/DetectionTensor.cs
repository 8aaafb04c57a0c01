using System.Globalization;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>A named dense float tensor as produced by a detector (row-major, shape as the model reports it).</summary>
public sealed class DetectionTensor
{
    /// <summary>Wraps data in a tensor; the element count must equal the product of the shape.</summary>
    /// <param name="name">Output name, used in error messages.</param>
    /// <param name="shape">Dimensions, each at least 0.</param>
    /// <param name="data">Row-major values.</param>
    public DetectionTensor(string name, int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape {FormatShape(shape)}.", nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"Tensor '{name}' has shape {FormatShape(shape)} ({count} values) but {data.Length} values were given.", nameof(data));
        Name = name;
        Shape = shape;
        Data = data;
    }

    /// <summary>Output name.</summary>
    public string Name { get; }

    /// <summary>Dimensions.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Row-major values.</summary>
    public float[] Data { get; }

    /// <summary>Formats a shape as <c>[1, 512, 16]</c> (<c>?</c> for a dynamic dimension, given as -1).</summary>
    /// <param name="shape">Dimensions.</param>
    /// <returns>The text.</returns>
    public static string FormatShape(IEnumerable<int> shape)
        => "[" + string.Join(", ", shape.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture))) + "]";
}
