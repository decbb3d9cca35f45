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
