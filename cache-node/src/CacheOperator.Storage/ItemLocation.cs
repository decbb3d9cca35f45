using System.Runtime.CompilerServices;

namespace CacheOperator.Storage;

/// <summary>Packs a segment id and an offset into the 64-bit value the index stores (0 = empty slot).</summary>
internal static class ItemLocation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Pack(int segmentId, int offset) => ((ulong)(uint)segmentId << 32) | (uint)offset;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SegmentId(ulong location) => (int)(location >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Offset(ulong location) => (int)(uint)location;
}
