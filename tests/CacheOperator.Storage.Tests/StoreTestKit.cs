using System.Text;

namespace CacheOperator.Storage.Tests;

/// <summary>Small helpers that keep the tests about behaviour rather than plumbing.</summary>
internal static class StoreTestKit
{
    public static CacheStore NewStore(long memoryBytes = 64L << 20, int maxItemSize = 1 << 20, CacheClock? clock = null)
        => new(new CacheStoreOptions
        {
            MemoryLimitBytes = memoryBytes,
            MaxItemSize = maxItemSize,
            EnableCrawler = false,
            Clock = clock ?? new CacheClock(),
        });

    public static byte[] B(string text) => Encoding.ASCII.GetBytes(text);

    public static StoreResult Set(this CacheStore store, string key, string value, uint flags = 0, long exptime = 0)
        => store.Store(B(key), new StoreRequest(StoreMode.Set, flags, exptime), B(value), out _);

    public static StoreResult Put(this CacheStore store, StoreMode mode, string key, string value, ulong compareCas = 0)
        => store.Store(B(key), new StoreRequest(mode, 0, 0) { CompareCas = compareCas }, B(value), out _);

    public static Snapshot? Get(this CacheStore store, string key, GetOptions options = default)
    {
        SnapshotReader reader = default;
        return store.TryGet(B(key), in options, ref reader) ? reader.Item : null;
    }

    public static string? GetValue(this CacheStore store, string key) => store.Get(key)?.Value;
}

/// <summary>A copy of what a read saw.</summary>
internal sealed record Snapshot(string Key, string Value, uint Flags, ulong Cas, long TimeToLive, bool FetchedBefore, LeaseFlags Lease);

/// <summary>Copies the item out of the store's memory while it is held steady.</summary>
internal struct SnapshotReader : IItemReader
{
    public Snapshot? Item;

    public void Read(in ItemView item)
        => Item = new Snapshot(Encoding.ASCII.GetString(item.Key), Encoding.ASCII.GetString(item.Value), item.Flags,
            item.Cas, item.TimeToLive, item.FetchedBefore, item.Lease);
}
