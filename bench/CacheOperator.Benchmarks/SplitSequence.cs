using System.Buffers;

namespace CacheOperator.Benchmarks;

/// <summary>Bytes as a two-segment sequence, the shape a request takes when it straddles two pipe buffers.</summary>
internal sealed class SplitSequence : ReadOnlySequenceSegment<byte>
{
    private SplitSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Of(byte[] bytes, int split)
    {
        SplitSequence first = new(bytes.AsMemory(0, split), 0);
        SplitSequence second = new(bytes.AsMemory(split), split);
        first.Next = second;
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }
}
