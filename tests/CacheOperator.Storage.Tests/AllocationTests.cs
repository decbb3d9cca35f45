using System.Buffers;
using static CacheOperator.Storage.Tests.StoreTestKit;

namespace CacheOperator.Storage.Tests;

/// <summary>The engine's hot path must not allocate: cached data stays out of the GC's way.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void SteadyStateGetSetDeleteAndIncr_AllocateNothing()
    {
        using CacheStore store = NewStore(8L << 20);
        byte[][] keys = Enumerable.Range(0, 512).Select(i => B($"key:{i:D6}")).ToArray();
        byte[] value = new byte[100];
        byte[] counter = B("counter");
        store.Set("counter", "0");
        StoreRequest set = new(StoreMode.Set, 0, 0);
        CountingReader reader = default;

        // Warm up: fill memory so eviction runs, grow the index, JIT every path.
        for (int i = 0; i < 200_000; i++)
            Exercise(store, keys[i % keys.Length], value, counter, set, ref reader, i);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
            Exercise(store, keys[i % keys.Length], value, counter, set, ref reader, i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(reader.Hits > 0);
    }

    /// <summary>
    /// The session hands set-family data blocks over as a sequence that may span two pipe buffers; that path
    /// and reads that touch (gat, mg T) must not allocate either, including while eviction runs.
    /// </summary>
    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(20_000)]
    public void SteadyStateSplitValueSetsAndTouchingReads_AllocateNothing(int valueSize)
    {
        using CacheStore store = NewStore(8L << 20);
        byte[][] keys = Enumerable.Range(0, 512).Select(i => B($"key:{i:D6}")).ToArray();
        byte[] data = new byte[valueSize];
        int split = valueSize / 3;
        ReadOnlySequence<byte> value = TwoPieces(data, split);
        StoreRequest set = new(StoreMode.Set, 0, 300);
        GetOptions touch = new() { Touch = true, TouchExptime = 600 };
        CountingReader reader = default;

        // Enough writes to fill the 8 MiB several times over, so the measured loop evicts too.
        int warmRounds = (int)Math.Max(20_000, 4 * (8L << 20) / valueSize);
        for (int i = 0; i < warmRounds; i++)
            SetAndTouch(store, keys[i % keys.Length], in value, in set, in touch, ref reader);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < warmRounds; i++)
            SetAndTouch(store, keys[i % keys.Length], in value, in set, in touch, ref reader);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(reader.Hits > 0);
        Assert.True(store.GetStats().Evictions > 0 || valueSize * (long)keys.Length < (8L << 20));
    }

    private static void SetAndTouch(CacheStore store, byte[] key, in ReadOnlySequence<byte> value, in StoreRequest set,
        in GetOptions touch, ref CountingReader reader)
    {
        store.Store(key, in set, in value, out _);
        store.TryGet(key, in touch, ref reader);
    }

    private static ReadOnlySequence<byte> TwoPieces(byte[] data, int split)
    {
        Piece first = new(data.AsMemory(0, split));
        Piece last = first.Append(data.AsMemory(split));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Piece : ReadOnlySequenceSegment<byte>
    {
        public Piece(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Piece Append(ReadOnlyMemory<byte> memory)
        {
            Piece next = new(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }

    private static void Exercise(CacheStore store, byte[] key, byte[] value, byte[] counter, in StoreRequest set,
        ref CountingReader reader, int i)
    {
        store.Store(key, in set, value, out _);
        store.TryGet(key, GetOptions.Default, ref reader);
        if (i % 7 == 0)
            store.Delete(key, default);
        if (i % 11 == 0)
            store.Arithmetic(counter, new ArithmeticRequest(true, 1), out _);
    }

    private struct CountingReader : IItemReader
    {
        public int Hits;

        public void Read(in ItemView item) => Hits += item.Value.Length > 0 ? 1 : 0;
    }
}
