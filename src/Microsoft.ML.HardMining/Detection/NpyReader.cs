using System.Globalization;
using System.Text;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>Reads a NumPy <c>.npy</c> file of little-endian float64 or float32 values (C order), e.g. scikit-image's <c>lfw_subset.npy</c>.</summary>
internal static class NpyReader
{
    public static (int[] Shape, double[] Data) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var magic = reader.ReadBytes(6);
        if (magic.Length != 6 || magic[0] != 0x93 || Encoding.ASCII.GetString(magic, 1, 5) != "NUMPY")
            throw new InvalidDataException($"'{path}' is not a NumPy .npy file (bad magic).");
        var major = reader.ReadByte();
        reader.ReadByte();
        int headerLength = major == 1 ? reader.ReadUInt16() : (int)reader.ReadUInt32();
        var header = Encoding.ASCII.GetString(reader.ReadBytes(headerLength));
        var descr = Between(header, "'descr':", ",").Trim().Trim('\'');
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
            throw new InvalidDataException($"'{path}' is in Fortran order; only C order is supported.");
        var shapeText = Between(header, "'shape': (", ")");
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var data = new double[count];
        switch (descr)
        {
            case "<f8":
                for (var i = 0; i < count; i++) data[i] = reader.ReadDouble();
                break;
            case "<f4":
                for (var i = 0; i < count; i++) data[i] = reader.ReadSingle();
                break;
            default:
                throw new InvalidDataException($"'{path}' holds dtype '{descr}'; only little-endian float64 ('<f8') and float32 ('<f4') are supported.");
        }
        return (shape, data);
    }

    private static string Between(string text, string start, string end)
    {
        var i = text.IndexOf(start, StringComparison.Ordinal);
        if (i < 0) throw new InvalidDataException($"NumPy header lacks {start}: {text}");
        i += start.Length;
        var j = text.IndexOf(end, i, StringComparison.Ordinal);
        return text[i..j];
    }

    /// <summary>Reads a [N, H, W] array of grey levels in [0, 1] as N RGB images.</summary>
    public static IReadOnlyList<RgbImage> ReadGrayImages(string path)
    {
        var (shape, data) = Read(path);
        if (shape.Length != 3)
            throw new InvalidDataException($"'{path}' has shape ({string.Join(", ", shape)}); expected (N, H, W) grey images.");
        int n = shape[0], h = shape[1], w = shape[2];
        var images = new RgbImage[n];
        for (var k = 0; k < n; k++)
        {
            var px = new byte[w * h * 3];
            for (var i = 0; i < w * h; i++)
            {
                var v = (byte)Math.Clamp((int)Math.Round(data[(long)k * w * h + i] * 255), 0, 255);
                px[3 * i] = px[3 * i + 1] = px[3 * i + 2] = v;
            }
            images[k] = new RgbImage(w, h, px);
        }
        return images;
    }
}
