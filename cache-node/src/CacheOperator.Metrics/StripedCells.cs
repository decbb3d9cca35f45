using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CacheOperator.Metrics;

/// <summary>
/// Per-processor cells so threads on different cores rarely write the same cache line; readers sum them.
/// Each cell is 128 bytes with its data in the middle, so no two cells' data share a 64-byte line whatever
/// the array's alignment.
/// </summary>
internal sealed class StripedCells
{
    /// <summary>
    /// A power of two from 16 to 64. Not fewer than 16 even on small machines: in a container the processor
    /// count is the CPU quota while processor ids are the host's, so two busy threads on, say, cores 5 and 7
    /// of a big host would share a cell if we striped by the quota.
    /// </summary>
    internal static readonly int StripeCount =
        (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount), 16, 64);

    private readonly Cell[] _cells = new Cell[StripeCount];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long count) => Interlocked.Add(ref _cells[Thread.GetCurrentProcessorId() & (StripeCount - 1)].Count, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment() => Interlocked.Increment(ref _cells[Thread.GetCurrentProcessorId() & (StripeCount - 1)].Count);

    public void AddDouble(double amount) => AtomicDouble.Add(ref _cells[Thread.GetCurrentProcessorId() & (StripeCount - 1)].SumBits, amount);

    /// <summary>Whole counts and fractional amounts, summed over the cells.</summary>
    public double Sum()
    {
        long whole = 0;
        double fractional = 0;
        for (int i = 0; i < _cells.Length; i++)
        {
            whole += Volatile.Read(ref _cells[i].Count);
            fractional += BitConverter.Int64BitsToDouble(Volatile.Read(ref _cells[i].SumBits));
        }
        return whole + fractional;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(56)] public long Count;
        [FieldOffset(64)] public long SumBits;
    }
}
