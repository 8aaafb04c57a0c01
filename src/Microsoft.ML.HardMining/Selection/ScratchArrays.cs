using System.Buffers;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.HardMining;

/// <summary>
/// The arrays of one mining pass: up to <see cref="PooledBytes"/> from the shared array pool, larger ones from the GC.
/// </summary>
/// <remarks>The pool spares a pass the page faults of fresh megabytes (the buffers of a 10,000-row budget are reused pass
/// after pass), but it keeps whatever it is given: the buffers of the default 20% budget over 10M rows, 1.3 GB, stayed
/// held after <c>Mine</c> returned. Larger arrays go back to the GC instead.</remarks>
internal static class ScratchArrays
{
    /// <summary>The largest array, in bytes, that goes through the shared pool.</summary>
    public const long PooledBytes = 8L << 20;

    public static T[] Rent<T>(int length) => Bytes<T>(length) <= PooledBytes ? ArrayPool<T>.Shared.Rent(length) : new T[length];

    public static void Return<T>(T[] array)
    {
        if (array.Length > 0 && Bytes<T>(array.Length) <= PooledBytes) ArrayPool<T>.Shared.Return(array);
    }

    private static long Bytes<T>(int length) => (long)length * Unsafe.SizeOf<T>();
}
