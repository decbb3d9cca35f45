using System.Text;
using static CacheOperator.Storage.Tests.StoreTestKit;

namespace CacheOperator.Storage.Tests;

public sealed class ConcurrencyTests
{
    /// <summary>
    /// Writers, deleters, counters and readers on shared keys under eviction pressure: no exception, no torn
    /// value (each value repeats its key's tag and a writer id), memory stays bounded.
    /// </summary>
    [Fact]
    public async Task ConcurrentMixedTraffic_UnderEviction_NeverServesATornValue()
    {
        using CacheStore store = NewStore(8L << 20);
        using CancellationTokenSource stop = new(TimeSpan.FromSeconds(3));
        int torn = 0;
        long operations = 0;
        Task[] workers = new Task[4];
        for (int w = 0; w < workers.Length; w++)
        {
            int writer = w;
            workers[w] = Task.Run(() =>
            {
                Random random = new(writer);
                SnapshotReader reader = default;
                for (int i = 0; i < 2_000_000 && !stop.IsCancellationRequested; i++)
                {
                    int k = random.Next(20_000);
                    byte[] key = B($"k{k}");
                    int op = random.Next(10);
                    if (op < 3)
                    {
                        string value = string.Concat(Enumerable.Repeat($"[{k}:{writer}]", 1 + random.Next(60)));
                        store.Store(key, new StoreRequest(StoreMode.Set, (uint)k, 0), Encoding.ASCII.GetBytes(value), out _);
                    }
                    else if (op == 3)
                    {
                        store.Delete(key, default);
                    }
                    else if (op == 4)
                    {
                        store.Put(StoreMode.Append, $"k{k}", $"[{k}:{writer}]");
                    }
                    else
                    {
                        reader.Item = null;
                        if (store.TryGet(key, GetOptions.Default, ref reader) && !IsWhole(reader.Item!, k))
                            Interlocked.Increment(ref torn);
                    }

                    Interlocked.Increment(ref operations);
                }
            });
        }

        await Task.WhenAll(workers);
        Assert.Equal(0, torn);
        CacheStoreStats stats = store.GetStats();
        Assert.True(stats.AllocatedBytes <= 8L << 20);
        Assert.True(operations > 10_000);
    }

    [Fact]
    public async Task ConcurrentIncrements_AreNeverLost()
    {
        using CacheStore store = NewStore();
        store.Set("counter", "0");
        Task[] workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 25_000; i++)
                store.Arithmetic(B("counter"), new ArithmeticRequest(true, 1), out ArithmeticOutcome _);
        })).ToArray();
        await Task.WhenAll(workers);
        Assert.Equal("100000", store.GetValue("counter"));
    }

    private static bool IsWhole(Snapshot item, int k)
    {
        if (item.Flags != (uint)k || item.Value.Length == 0)
            return false;
        string prefix = $"[{k}:";
        foreach (string part in item.Value.Split(']', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith(prefix, StringComparison.Ordinal) || part.Length != prefix.Length + 1)
                return false;
        }

        return true;
    }
}
