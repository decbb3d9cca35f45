using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace CacheOperator.Hashing;

/// <summary>
/// A fast, seedless 64-bit hash for keys of up to 250 bytes: stable across processes and machines, so it
/// can place keys in partitions and (later) ring buckets the same way everywhere.
/// </summary>
public static class KeyHasher
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;

    /// <summary>Hashes a key; every output bit depends on every input bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> key)
    {
        ulong h = Prime3 ^ ((ulong)key.Length * Prime1);
        int i = 0;
        for (; i + 8 <= key.Length; i += 8)
        {
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(key[i..]);
            h ^= BitOperations.RotateLeft(v * Prime2, 31) * Prime1;
            h = BitOperations.RotateLeft(h, 27) * Prime1 + Prime3;
        }

        if (i < key.Length)
        {
            ulong tail = 0;
            for (int shift = 0; i < key.Length; i++, shift += 8)
                tail |= (ulong)key[i] << shift;
            h ^= BitOperations.RotateLeft(tail * Prime2, 31) * Prime1;
            h = BitOperations.RotateLeft(h, 27) * Prime1 + Prime3;
        }

        h ^= h >> 33;
        h *= Prime2;
        h ^= h >> 29;
        h *= Prime3;
        h ^= h >> 32;
        return h;
    }
}
