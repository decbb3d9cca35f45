using static CacheOperator.Storage.Tests.StoreTestKit;

namespace CacheOperator.Storage.Tests;

public sealed class EvictionTests
{
    private const long Memory = 8L << 20;

    [Fact]
    public void Filling_PastTheLimit_EvictsAndNeverAllocatesMoreThanTheLimit()
    {
        using CacheStore store = NewStore(Memory);
        byte[] value = new byte[1000];
        for (int i = 0; i < 50_000; i++)
            Assert.Equal(StoreResult.Stored, store.Store(B($"key:{i}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _));
        CacheStoreStats stats = store.GetStats();
        Assert.True(stats.AllocatedBytes <= Memory, $"allocated {stats.AllocatedBytes}");
        Assert.True(stats.Evictions > 0);
        Assert.True(stats.Bytes <= Memory);
        Assert.Equal(50_000 - stats.Evictions, stats.CurrentItems);
        Assert.NotNull(store.Get("key:49999"));
    }

    [Fact]
    public void ItemsReadOften_SurviveAScanOfNewKeys()
    {
        using CacheStore store = NewStore(Memory);
        byte[] value = new byte[500];
        for (int i = 0; i < 1000; i++)
            store.Store(B($"hot:{i}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _);
        int hotHits = 0;
        for (int round = 0; round < 40; round++)
        {
            for (int i = 0; i < 1000; i++)
            {
                if (store.Get($"hot:{i}") is not null)
                    hotHits++;
            }

            // A scan of one-hit wonders, larger than memory over the whole loop.
            for (int i = 0; i < 1000; i++)
                store.Store(B($"scan:{round}:{i}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _);
        }

        Assert.True(store.GetStats().Evictions > 10_000);
        // S3-FIFO keeps the read set; plain FIFO would lose it every few rounds.
        Assert.True(hotHits > 39_000 * 95 / 100, $"hot hits {hotHits} of 40000");
    }

    [Fact]
    public void LargeItems_UpToMaxSize_CycleThroughSmallMemory()
    {
        using CacheStore store = NewStore(4L << 20, maxItemSize: 1 << 20);
        byte[] value = new byte[store.MaxValueLength(8)];
        for (int i = 0; i < 40; i++)
        {
            value[0] = (byte)i;
            Assert.Equal(StoreResult.Stored, store.Store(B($"big:{i:D4}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _));
            Assert.Equal((char)i, store.Get($"big:{i:D4}")!.Value[0]);
        }

        Assert.True(store.GetStats().AllocatedBytes <= 4L << 20);
    }

    [Fact]
    public void Overwrites_LeaveDeadSpace_ThatEvictionReclaims()
    {
        using CacheStore store = NewStore(Memory);
        byte[] value = new byte[2000];
        for (int i = 0; i < 20_000; i++)
            store.Store(B($"k:{i % 100}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _);
        CacheStoreStats stats = store.GetStats();
        Assert.Equal(100, stats.CurrentItems);
        Assert.True(stats.AllocatedBytes <= Memory);
        for (int i = 0; i < 100; i++)
            Assert.NotNull(store.Get($"k:{i}"));
    }

    /// <summary>
    /// Read-through traffic with promotions into main: every segment stays accounted for (in a queue, open,
    /// or free), so memory keeps holding live items. A segment lost from the queues would hold its items
    /// forever and shrink the cache.
    /// </summary>
    [Fact]
    public void SkewedReadThrough_KeepsEverySegmentAccountedFor_AndMemoryFullOfLiveItems()
    {
        using CacheStore store = NewStore(16L << 20);
        byte[] value = new byte[200];
        Random random = new(7);
        SnapshotReader reader = default;
        for (int i = 0; i < 1_500_000; i++)
        {
            int k = (int)(Math.Pow(random.NextDouble(), 3) * 500_000);
            byte[] key = B($"k:{k}");
            if (!store.TryGet(key, GetOptions.Default, ref reader))
                store.Store(key, new StoreRequest(StoreMode.Set, 0, 0), value, out _);
        }

        CacheStoreStats stats = store.GetStats();
        Assert.True(stats.Promotions > 0);
        Assert.Equal(stats.SegmentsAllocated, stats.ProbationSegments + stats.MainSegments + stats.SegmentsFree + 2);
        Assert.True(stats.Bytes > stats.LimitMaxBytes * 85 / 100, $"live bytes {stats.Bytes} of {stats.LimitMaxBytes}");
    }

    [Fact]
    public void SetMemoryLimit_RaisedThenLowered_BoundsTheItemsKept()
    {
        using CacheStore store = NewStore(8L << 20);
        byte[] value = new byte[1000];
        store.SetMemoryLimit(32L << 20);
        for (int i = 0; i < 40_000; i++)
            store.Store(B($"k:{i}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _);
        long afterRaise = store.GetStats().Bytes;
        Assert.True(afterRaise > 24L << 20, $"{afterRaise} bytes held after raising to 32 MiB");

        store.SetMemoryLimit(8L << 20);
        for (int i = 0; i < 40_000; i++)
            Assert.Equal(StoreResult.Stored, store.Store(B($"n:{i}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _));
        CacheStoreStats lowered = store.GetStats();
        Assert.True(lowered.Bytes <= 8L << 20, $"{lowered.Bytes} bytes held after lowering to 8 MiB");
        Assert.Equal(8L << 20, lowered.LimitMaxBytes);
    }

    /// <summary>
    /// A live set that fits in memory, overwritten at random: the dead versions must not push live items
    /// out. The crawler's compaction frees mostly-dead segments before eviction has to take live ones.
    /// </summary>
    [Fact]
    public void RandomOverwrites_OfALiveSetThatFits_KeepEveryKey_WithCompaction()
    {
        using CacheStore store = NewStore(16L << 20);
        byte[] value = new byte[1000];
        Random random = new(3);
        const int Keys = 8000;
        for (int i = 0; i < Keys; i++)
            store.Store(B($"k:{i}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _);
        for (int i = 0; i < 200_000; i++)
        {
            store.Store(B($"k:{random.Next(Keys)}"), new StoreRequest(StoreMode.Set, 0, 0), value, out _);
            if (i % 1000 == 0)
                store.Crawl();
        }

        CacheStoreStats stats = store.GetStats();
        Assert.True(stats.Compactions > 0);
        Assert.True(stats.AllocatedBytes <= 16L << 20);
        Assert.Equal(Keys, stats.CurrentItems);
    }
}
