using System.Text;

namespace Microsoft.ML.HardMining.Tests.Scoring;

/// <summary>
/// Writes the smallest ONNX model that passes its input through (<c>Y = Identity(X)</c>, X a float tensor [batch, k]), so a
/// test controls every output value exactly, infinities included. The protobuf is written field by field: the test project
/// needs no ONNX or protobuf package for it.
/// </summary>
internal static class IdentityOnnxModel
{
    public static string Write(string path, int valuesPerRow, string input = "X", string output = "Y")
    {
        var node = Message(m => { String(m, 1, input); String(m, 2, output); String(m, 3, "identity"); String(m, 4, "Identity"); });
        var graph = Message(g =>
        {
            Embed(g, 1, node);
            String(g, 2, "g");
            Embed(g, 11, FloatTensorInfo(input, valuesPerRow));
            Embed(g, 12, FloatTensorInfo(output, valuesPerRow));
        });
        var opset = Message(o => { String(o, 1, ""); Integer(o, 2, 13); });
        var model = Message(m => { Integer(m, 1, 8); Embed(m, 8, opset); Embed(m, 7, graph); });
        File.WriteAllBytes(path, model);
        return path;
    }

    // A value_info of a float tensor [batch, k] with a named, dynamic batch axis.
    private static byte[] FloatTensorInfo(string name, int valuesPerRow)
    {
        var shape = Message(s =>
        {
            Embed(s, 1, Message(d => String(d, 2, "batch")));
            Embed(s, 1, Message(d => Integer(d, 1, valuesPerRow)));
        });
        var tensor = Message(t => { Integer(t, 1, 1); Embed(t, 2, shape); });
        return Message(v => { String(v, 1, name); Embed(v, 2, Message(type => Embed(type, 1, tensor))); });
    }

    private static byte[] Message(Action<List<byte>> write)
    {
        var bytes = new List<byte>();
        write(bytes);
        return [.. bytes];
    }

    private static void Varint(List<byte> b, ulong value)
    {
        for (; value >= 0x80; value >>= 7) b.Add((byte)(value | 0x80));
        b.Add((byte)value);
    }

    private static void Integer(List<byte> b, int field, long value)
    {
        Varint(b, (ulong)(field << 3));
        Varint(b, (ulong)value);
    }

    private static void Embed(List<byte> b, int field, byte[] value)
    {
        Varint(b, (ulong)((field << 3) | 2));
        Varint(b, (ulong)value.Length);
        b.AddRange(value);
    }

    private static void String(List<byte> b, int field, string value) => Embed(b, field, Encoding.UTF8.GetBytes(value));
}
