using System.Text;
using CacheOperator.Ring;
using CacheOperator.Router.Routing;
using CacheOperator.Router.Tests.Harness;

namespace CacheOperator.Router.Tests;

/// <summary>Keys read above the threshold are served from copies on distinct shards, which writes invalidate.</summary>
public sealed class HotKeyTests : IAsyncLifetime
{
    private readonly List<BackendProcess> _backends = [];
    private RouterUnderTest? _router;
    private CacheRing _ring = null!;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
            _backends.Add(BackendProcess.Memcached());
        _ring = RingFactory.Ring(1, [RingFactory.Pool("main", [], [.. _backends.Select(b => b.Address)])],
            hotKeys: new HotKeySettings(ThresholdPerSecond: 50, Copies: 3, CopyTtlSeconds: 10));
        _router = await RouterUnderTest.StartAsync(_ring);
    }

    public async Task DisposeAsync()
    {
        if (_router is not null)
            await _router.DisposeAsync();
        foreach (var backend in _backends)
            backend.Dispose();
    }

    [Fact]
    public async Task HotKey_IsReadFromCopiesWithTheShortTtl_AndAWriteReachesThem()
    {
        using var client = _router!.Connect();
        Assert.Equal("STORED\r\n", await client.SetAsync("celebrity", "v1"));
        for (var i = 0; i < 300; i++)
            Assert.Equal("v1", await client.GetAsync("celebrity"));

        var copies = CopyKeys("celebrity");
        Assert.Equal(3, copies.Length);
        var filled = 0;
        foreach (var copy in copies)
        {
            using var direct = new TextClient(Owner(copy).Port);
            var meta = await direct.MetaAsync($"mg {copy} t v\r\n");
            if (!meta.StartsWith("VA ", StringComparison.Ordinal))
                continue;
            filled++;
            Assert.EndsWith("\r\nv1\r\n", meta, StringComparison.Ordinal);
            var ttl = int.Parse(meta.Split(' ', '\r')[2][1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(ttl, 1, 10);
        }

        Assert.True(filled >= 2, $"{filled} copies filled");
        Assert.Contains("router_hot_keys_detected_total{pool=\"main\"} 1", await _router.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // A write reaches the copies (they are dropped and refill), so no read sees the old value afterwards.
        Assert.Equal("STORED\r\n", await client.SetAsync("celebrity", "v2"));
        await Task.Delay(100);
        for (var i = 0; i < 50; i++)
            Assert.Equal("v2", await client.GetAsync("celebrity"));
    }

    [Fact]
    public async Task ColdKeys_HaveNoCopies()
    {
        using var client = _router!.Connect();
        for (var i = 0; i < 20; i++)
        {
            await client.SetAsync($"cold{i}", "c");
            Assert.Equal("c", await client.GetAsync($"cold{i}"));
        }

        foreach (var copy in CopyKeys("cold3"))
        {
            using var direct = new TextClient(Owner(copy).Port);
            Assert.Null(await direct.GetAsync(copy));
        }
    }

    [Fact]
    public void Tracker_FlagsOnlyKeysAboveTheThreshold_AndKeepsAtMostTheTopK()
    {
        var tracker = new HotKeyTracker();
        HotKey? hot = null;
        for (var i = 0; i < 100; i++)
            hot = tracker.RecordRead("hot"u8, 100) ?? hot;
        for (var i = 0; i < 99; i++)
            Assert.Null(tracker.RecordRead("warm"u8, 100));
        Assert.NotNull(hot);
        Assert.Null(tracker.Find("warm"u8));

        for (var k = 0; k < 2 * HotKeyTracker.MaxHotKeys; k++)
        {
            var key = Encoding.ASCII.GetBytes($"k{k}");
            for (var i = 0; i < 10; i++)
                tracker.RecordRead(key, 5);
        }

        Assert.True(tracker.Hot.Count <= HotKeyTracker.MaxHotKeys);
    }

    private string[] CopyKeys(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        Span<int> suffixes = stackalloc int[HotKeyCopies.MaxCopies];
        var count = HotKeyCopies.FindSuffixes(_ring.Default.Table, bytes, 3, suffixes);
        return [.. suffixes[..count].ToArray().Select(s => $"{key}#{s}")];
    }

    private NodeAddress Owner(string key) => _ring.Default.ShardForKey(Encoding.UTF8.GetBytes(key)).Primary;
}
