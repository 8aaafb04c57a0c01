using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Name, kind, element type and dimensions of one model input or output, read from the session metadata.</summary>
internal sealed record OnnxTensorInfo(string Name, bool IsTensor, Type ElementType, int[] Dimensions)
{
    public string ShapeText => "[" + string.Join(",", Dimensions.Select(d => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")) + "]";

    public static OnnxTensorInfo From(string name, NodeMetadata meta)
        => new(name, meta.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR, meta.ElementType, meta.Dimensions.ToArray());
}

/// <summary>The inputs and outputs of a model, in the model's order.</summary>
internal sealed class OnnxModelInfo
{
    public OnnxModelInfo(string modelPath, InferenceSession session)
    {
        ModelPath = modelPath;
        ModelFileName = Path.GetFileName(modelPath);
        Inputs = session.InputMetadata.Select(kv => OnnxTensorInfo.From(kv.Key, kv.Value)).ToArray();
        Outputs = session.OutputMetadata.Select(kv => OnnxTensorInfo.From(kv.Key, kv.Value)).ToArray();
    }

    public string ModelPath { get; }

    public string ModelFileName { get; }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    public string Describe(IEnumerable<OnnxTensorInfo> items)
        => string.Join(", ", items.Select(t => $"'{t.Name}' {(t.IsTensor ? t.ElementType.Name : "non-tensor")} {t.ShapeText}"));
}
