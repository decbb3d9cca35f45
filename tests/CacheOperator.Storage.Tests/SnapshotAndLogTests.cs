using System.Collections.Concurrent;
using CacheOperator.Hashing;
using static CacheOperator.Storage.Tests.StoreTestKit;

namespace CacheOperator.Storage.Tests;

/// <summary>
/// The engine half of warm-up: subscribe a log, walk a snapshot while clients keep writing, then apply
/// snapshot and log to a second store. The copy must equal the source for the selected keys, and hold
/// nothing else.
/// </summary>
public sealed class SnapshotAndLogTests
{
    private static bool Selected(ulong hash) => hash % 4 == 1;

    [Fact]
    public async Task SnapshotPlusLog_UnderConcurrentWrites_ConvergesToSourceExactly()
    {
        using CacheStore source = NewStore(64L << 20);
        using CacheStore target = NewStore(64L << 20);
        for (int i = 0; i < 20_000; i++)
            source.Set($"k{i}", $"initial-{i}", flags: (uint)i, exptime: i % 3 == 0 ? 3600 : 0);

        RecordingObserver log = new(Selected);
        source.Subscribe(log);
        using CancellationTokenSource stop = new();
        Task writers = Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(() => Mutate(source, w, stop.Token))));

        List<Entry> snapshot = [];
        using (SnapshotCursor cursor = source.OpenSnapshot(Selected))
        {
            CopyingReader reader = new(snapshot);
            while (cursor.ReadNext(ref reader, 100))
                await Task.Yield();
        }

        await Task.Delay(200);
        await stop.CancelAsync();
        await writers;
        source.Unsubscribe(log);

        foreach (Entry entry in snapshot)
            Apply(target, entry);
        foreach (Entry entry in log.Entries)
            Apply(target, entry);

        Assert.True(log.Entries.Count > 1000, $"only {log.Entries.Count} logged mutations");
        int compared = 0;
        for (int i = 0; i < 22_000; i++)
        {
            string key = $"k{i}";
            Snapshot? expected = source.Get(key, new GetOptions { NoBump = true });
            Snapshot? actual = target.Get(key, new GetOptions { NoBump = true });
            if (!Selected(KeyHasher.Hash(B(key))))
            {
                Assert.Null(actual);
                continue;
            }

            Assert.Equal(expected?.Value, actual?.Value);
            Assert.Equal(expected?.Flags, actual?.Flags);
            if (expected is not null)
                Assert.InRange(actual!.TimeToLive - expected.TimeToLive, -1, 1);
            compared++;
        }

        Assert.True(compared > 4000);
    }

    [Fact]
    public void DropWhere_RemovesOnlySelectedKeys()
    {
        using CacheStore store = NewStore();
        for (int i = 0; i < 5000; i++)
            store.Set($"k{i}", "v");
        long dropped = store.DropWhere(Selected);
        Assert.InRange(dropped, 1000, 1500);
        Assert.Equal(5000 - dropped, store.GetStats().CurrentItems);
        for (int i = 0; i < 5000; i++)
            Assert.Equal(!Selected(KeyHasher.Hash(B($"k{i}"))), store.Get($"k{i}") is not null);
    }

    [Fact]
    public void KeepItemsNewerThanCas_ProtectsLocalWritesFromOlderSnapshotItems()
    {
        using CacheStore store = NewStore();
        store.Set("old", "stale-local");
        ulong streamStart = store.Get("old")!.Cas;
        store.Set("new", "local-after-start");
        StoreRequest apply = new(StoreMode.Set, 0, 0) { KeepItemsNewerThanCas = streamStart };
        Assert.Equal(StoreResult.Stored, store.Store(B("old"), apply, B("from-snapshot"), out _));
        Assert.Equal(StoreResult.NotStored, store.Store(B("new"), apply, B("from-snapshot"), out _));
        Assert.Equal("from-snapshot", store.GetValue("old"));
        Assert.Equal("local-after-start", store.GetValue("new"));
    }

    private static void Mutate(CacheStore store, int worker, CancellationToken stop)
    {
        Random random = new(worker);
        for (int i = 0; i < 5_000_000 && !stop.IsCancellationRequested; i++)
        {
            string key = $"k{random.Next(22_000)}";
            switch (random.Next(6))
            {
                case 0:
                case 1:
                    store.Set(key, $"w{worker}-{i}", flags: (uint)i, exptime: random.Next(3) == 0 ? 600 : 0);
                    break;
                case 2:
                    store.Delete(B(key), default);
                    break;
                case 3:
                    store.Touch(B(key), 900);
                    break;
                case 4:
                    store.Put(StoreMode.Append, key, "+");
                    break;
                default:
                    if (random.Next(2) == 0)
                        store.Set(key, "5");
                    else
                        store.Arithmetic(B(key), new ArithmeticRequest(true, 3), out ArithmeticOutcome _);
                    break;
            }
        }
    }

    private static void Apply(CacheStore target, Entry entry)
    {
        uint now = target.Clock.UnixSeconds;
        if (entry.Deleted || (entry.ExpiresAt != 0 && entry.ExpiresAt <= now))
        {
            target.Delete(entry.Key, default);
            return;
        }

        target.Store(entry.Key, new StoreRequest(StoreMode.Set, entry.Flags, entry.ExpiresAt), entry.Value, out _);
    }

    private sealed record Entry(byte[] Key, byte[] Value, uint Flags, uint ExpiresAt, bool Deleted);

    private sealed class RecordingObserver(Func<ulong, bool> selects) : IMutationObserver
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public bool Selects(ulong keyHash) => selects(keyHash);

        public void OnStored(ulong keyHash, in ItemView item)
            => Entries.Enqueue(new Entry(item.Key.ToArray(), item.Value.ToArray(), item.Flags, item.ExpiresAt, false));

        public void OnDeleted(ulong keyHash, ReadOnlySpan<byte> key) => Entries.Enqueue(new Entry(key.ToArray(), [], 0, 0, true));

        public void OnFlushed() => throw new InvalidOperationException("no flush in this test");
    }

    private readonly struct CopyingReader(List<Entry> into) : ISnapshotReader
    {
        public void Read(ulong keyHash, in ItemView item)
            => into.Add(new Entry(item.Key.ToArray(), item.Value.ToArray(), item.Flags, item.ExpiresAt, false));
    }
}
