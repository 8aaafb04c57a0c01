using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Trainers;

/// <summary>Estimates the bytes of one row from a schema, for the cache's byte limit.</summary>
internal static class RowSizeEstimate
{
    /// <summary>Known-size vectors count size × item bytes; text counts 64 bytes and variable-size vectors 256 items (estimates).</summary>
    public static long Bytes(DataViewSchema schema)
    {
        long total = 0;
        foreach (var col in schema.Where(c => !c.IsHidden))
        {
            total += col.Type switch
            {
                VectorDataViewType v => (v.Size > 0 ? v.Size : 256) * ItemBytes(v.ItemType),
                _ => ItemBytes(col.Type),
            };
        }
        return Math.Max(1, total);
    }

    private static long ItemBytes(DataViewType t) => t switch
    {
        TextDataViewType => 64,
        BooleanDataViewType => 1,
        _ when t.RawType == typeof(double) || t.RawType == typeof(long) || t.RawType == typeof(ulong) => 8,
        _ when t.RawType == typeof(short) || t.RawType == typeof(ushort) => 2,
        _ when t.RawType == typeof(byte) || t.RawType == typeof(sbyte) => 1,
        _ => 4,
    };
}
