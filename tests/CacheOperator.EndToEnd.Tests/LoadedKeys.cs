using System.Globalization;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// A fixed set of keys written and read through a router: loaded once, read in turn by one client while the
/// cluster changes (bounded in count and time), then every one checked.
/// </summary>
internal sealed class LoadedKeys(string prefix, int count)
{
    public int Count => count;

    public string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}:{i}");

    public static string Value(int i) => string.Create(CultureInfo.InvariantCulture, $"value-{i}");

    public async Task LoadAsync(string routerIP)
    {
        using var router = await MemcachedText.ConnectAsync(routerIP);
        for (int i = 0; i < count; i++)
            Xunit.Assert.Equal("STORED\r\n", await router.SetAsync(Key(i), Value(i)));
    }

    /// <summary>Reads every key in turn until stopped (at most 2,000,000 reads): reads done, misses.</summary>
    public Task<(int Done, int Misses)> ReadAllTheTimeAsync(string routerIP, CancellationToken stop) => Task.Run(async () =>
    {
        int done = 0, misses = 0;
        using var router = await MemcachedText.ConnectAsync(routerIP);
        while (!stop.IsCancellationRequested && done < 2_000_000)
        {
            int i = done % count;
            misses += await router.GetAsync(Key(i)) == Value(i) ? 0 : 1;
            done++;
        }

        return (done, misses);
    });

    /// <summary>How many keys read back with their value.</summary>
    public async Task<int> ReadableAsync(string routerIP)
    {
        int hits = 0;
        using var router = await MemcachedText.ConnectAsync(routerIP);
        for (int i = 0; i < count; i++)
            hits += await router.GetAsync(Key(i)) == Value(i) ? 1 : 0;
        return hits;
    }
}
