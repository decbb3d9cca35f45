using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CacheOperator.Storage;

/// <summary>
/// The fixed header in front of every item in a segment; the key follows it, then the value.
/// Items are packed back to back, so a segment can be walked from its start.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct ItemHeader
{
    public const int Size = 28;

    /// <summary>Access frequency, 0..3 (S3-FIFO's small counter).</summary>
    public const byte FrequencyMask = 0b0000_0011;

    /// <summary>Invalidated by md I / ms I: served with X until rewritten.</summary>
    public const byte StaleBit = 0b0000_0100;

    /// <summary>A client holds the recache token (meta W was handed out).</summary>
    public const byte TokenSentBit = 0b0000_1000;

    /// <summary>The item has been read at least once.</summary>
    public const byte FetchedBit = 0b0001_0000;

    public int ValueLength;
    public byte KeyLength;
    public byte State;
    public ushort Reserved;
    public uint Flags;
    public uint ExpiresAt;
    public ulong Cas;
    public uint LastAccess;

    public readonly int TotalSize => Size + KeyLength + ValueLength;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOf(int keyLength, int valueLength) => Size + keyLength + valueLength;
}
