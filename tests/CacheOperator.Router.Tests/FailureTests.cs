using System.Diagnostics;
using CacheOperator.Ring;
using CacheOperator.Router.Tests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Router.Tests;

/// <summary>Backends dying, hanging and returning under the router; gutter and replicas taking over.</summary>
public sealed class FailureTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private readonly List<BackendProcess> _backends = [];
    private RouterUnderTest? _router;

    public FailureTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync()
    {
        for (var i = 0; i < 4; i++)
            _backends.Add(BackendProcess.Memcached());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_router is not null)
            await _router.DisposeAsync();
        foreach (var backend in _backends)
            backend.Dispose();
    }

    [Fact]
    public async Task KilledBackend_UnderLoad_OnlyItsShardFails_ThenItIsUsedAgain()
    {
        var ring = RingFactory.Ring(1, [RingFactory.Pool("main", [], [_backends[0].Address, _backends[1].Address, _backends[2].Address])]);
        _router = await RouterUnderTest.StartAsync(ring);
        var keys = Enumerable.Range(0, 60).Select(i => $"load{i}").ToArray();
        var victim = _backends[1];

        var errorsByShard = new int[3];
        long killedAt = 0;
        var slowest = TimeSpan.Zero;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            using var client = _router.Connect();
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                var key = keys[(i * 7 + c) % keys.Length];
                var started = Stopwatch.StartNew();
                var set = await client.SetAsync(key, "v");
                var get = await client.CallAsync($"get {key}\r\n", "\r\n");
                while (get.StartsWith("VALUE", StringComparison.Ordinal) && !get.EndsWith("END\r\n", StringComparison.Ordinal))
                    get += await client.ReadUntilAsync("END\r\n");
                lock (errorsByShard)
                {
                    slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
                    if (set != "STORED\r\n" || !get.StartsWith("VALUE", StringComparison.Ordinal))
                        errorsByShard[Keys.ShardOf(ring, key)]++;
                }
            }
        })).ToArray();

        await Task.Delay(500);
        Interlocked.Exchange(ref killedAt, Stopwatch.GetTimestamp());
        victim.Kill();
        var backend = _router.Host.Backends.Find(victim.Address)!;
        await WaitUntil(() => !backend.IsUp, TimeSpan.FromSeconds(5));
        var detection = Stopwatch.GetElapsedTime(killedAt, backend.DownSinceTimestamp);
        await Task.Delay(500);

        victim.Start();
        await WaitUntil(() => backend.IsUp, TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(20));

        _output.WriteLine($"detected down after {detection.TotalMilliseconds:F0} ms; errors by shard: {string.Join(", ", errorsByShard)}; slowest request pair {slowest.TotalMilliseconds:F0} ms");
        Assert.False(backend.IsUp && backend.DownSinceTimestamp == 0);
        Assert.True(detection < TimeSpan.FromMilliseconds(RingFactory.FastHeartbeat.IntervalMs), $"detection took {detection.TotalMilliseconds} ms");
        Assert.Equal(0, errorsByShard[0]);
        Assert.Equal(0, errorsByShard[2]);
        Assert.True(errorsByShard[1] > 0);
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"a request took {slowest.TotalMilliseconds} ms");

        // Back in service: a write for its shard lands on it again.
        var key = Keys.OnShard(ring, 1, "back", 1)[0];
        using var again = _router.Connect();
        Assert.Equal("STORED\r\n", await again.SetAsync(key, "again"));
        using var direct = new TextClient(victim.Port);
        Assert.Equal("again", await direct.GetAsync(key));
    }

    [Fact]
    public async Task HungBackend_TimesOutIntoDown_AndRemembersDeletesUntilItReturns()
    {
        var ring = RingFactory.Ring(1, [RingFactory.Pool("main", [], [_backends[0].Address, _backends[1].Address])]);
        _router = await RouterUnderTest.StartAsync(ring);
        var key = Keys.OnShard(ring, 1, "hung", 1)[0];
        using var client = _router.Connect();
        Assert.Equal("STORED\r\n", await client.SetAsync(key, "stale"));

        _backends[1].Signal("STOP");
        var backend = _router.Host.Backends.Find(_backends[1].Address)!;
        var write = Stopwatch.StartNew();
        var reply = await client.SetAsync(Keys.OnShard(ring, 1, "hung-w", 1)[0], "x");
        Assert.StartsWith("SERVER_ERROR", reply, StringComparison.Ordinal);
        Assert.True(write.Elapsed < TimeSpan.FromSeconds(3), $"write took {write.ElapsedMilliseconds} ms");
        await WaitUntil(() => !backend.IsUp, TimeSpan.FromSeconds(5));

        Assert.Equal("DELETED\r\n", await client.CallAsync($"delete {key}\r\n", "\r\n"));
        Assert.Equal("END\r\n", await client.CallAsync($"get {key}\r\n", "\r\n"));
        Assert.Equal(1, backend.MissedDeleteCount);

        _backends[1].Signal("CONT");
        await WaitUntil(() => backend.IsUp, TimeSpan.FromSeconds(10));
        using var direct = new TextClient(_backends[1].Port);
        Assert.Null(await direct.GetAsync(key));
        Assert.Equal(0, backend.MissedDeleteCount);
    }

    [Fact]
    public async Task DownShard_WithGutter_ReadsAndWritesGoToTheGutterWithTheTtlCap()
    {
        var ring = RingFactory.Ring(1, [RingFactory.Pool("main", [], [_backends[0].Address, _backends[1].Address])],
            new GutterPool([_backends[2].Address], 5));
        _router = await RouterUnderTest.StartAsync(ring);
        var backend = _router.Host.Backends.Find(_backends[1].Address)!;
        _backends[1].Kill();
        await WaitUntil(() => !backend.IsUp, TimeSpan.FromSeconds(5));

        var keys = Keys.OnShard(ring, 1, "gut", 3);
        using var client = _router.Connect();
        Assert.Equal("STORED\r\n", await client.SetAsync(keys[0], "g0"));
        Assert.Equal("STORED\r\n", await client.SetAsync(keys[1], "g1", exptime: 3));
        Assert.Equal("HD\r\n", await client.CallAsync($"ms {keys[2]} 2 T1000\r\ng2\r\n", "\r\n"));
        Assert.Equal("g0", await client.GetAsync(keys[0]));

        using var gutter = new TextClient(_backends[2].Port);
        foreach (var (key, most) in new[] { (keys[0], 5), (keys[1], 3), (keys[2], 5) })
        {
            var meta = await gutter.MetaAsync($"mg {key} t v\r\n");
            var ttl = int.Parse(meta.Split(' ', '\r')[2][1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(ttl, 1, most);
        }

        // The live shard is untouched by the gutter.
        var live = Keys.OnShard(ring, 0, "gut-live", 1)[0];
        Assert.Equal("STORED\r\n", await client.SetAsync(live, "l"));
        Assert.Null(await gutter.GetAsync(live));
    }

    [Fact]
    public async Task DownShard_WithoutGutterOrReplica_ReadsMissAndWritesFailPromptly()
    {
        var ring = RingFactory.Ring(1, [RingFactory.Pool("main", [], [_backends[0].Address, _backends[1].Address])]);
        _router = await RouterUnderTest.StartAsync(ring);
        var backend = _router.Host.Backends.Find(_backends[1].Address)!;
        _backends[1].Kill();
        await WaitUntil(() => !backend.IsUp, TimeSpan.FromSeconds(5));

        var key = Keys.OnShard(ring, 1, "nog", 1)[0];
        using var client = _router.Connect();
        Assert.Equal("END\r\n", await client.CallAsync($"get {key}\r\n", "\r\n"));
        Assert.Equal("EN\r\n", await client.CallAsync($"mg {key} v\r\n", "\r\n"));
        Assert.Equal("SERVER_ERROR shard unavailable\r\n", await client.SetAsync(key, "x"));
        Assert.Equal("SERVER_ERROR shard unavailable\r\n", await client.CallAsync($"incr {key} 1\r\n", "\r\n"));
    }

    [Theory]
    [InlineData(WritePolicy.All, ReplicaReadPolicy.Random)]
    [InlineData(WritePolicy.First, ReplicaReadPolicy.LeastOutstanding)]
    public async Task ReplicatedPool_WritesReachEveryCopy_ReadsSurviveThePrimary(WritePolicy writes, ReplicaReadPolicy reads)
    {
        var ring = RingFactory.Ring(1,
            [RingFactory.Pool("main", [], [_backends[0].Address, _backends[2].Address], [[_backends[1].Address], []])],
            writes: writes, reads: reads);
        _router = await RouterUnderTest.StartAsync(ring);
        var keys = Keys.OnShard(ring, 0, "rep", 10);
        using var client = _router.Connect();
        foreach (var key in keys)
            Assert.Equal("STORED\r\n", await client.SetAsync(key, "r-" + key));
        Assert.Equal("DELETED\r\n", await client.CallAsync($"delete {keys[9]}\r\n", "\r\n"));

        using var primary = new TextClient(_backends[0].Port);
        using var replica = new TextClient(_backends[1].Port);
        foreach (var key in keys[..9])
        {
            // With "first", the slower copy may still be writing: give it a moment, bounded.
            var deadline = Stopwatch.StartNew();
            while (await replica.GetAsync(key) is null && deadline.Elapsed < TimeSpan.FromSeconds(2))
                await Task.Delay(20);
            Assert.Equal("r-" + key, await primary.GetAsync(key));
            Assert.Equal("r-" + key, await replica.GetAsync(key));
        }

        Assert.Null(await primary.GetAsync(keys[9]));
        Assert.Null(await replica.GetAsync(keys[9]));

        var backend = _router.Host.Backends.Find(_backends[0].Address)!;
        _backends[0].Kill();
        await WaitUntil(() => !backend.IsUp, TimeSpan.FromSeconds(5));
        foreach (var key in keys[..9])
            Assert.Equal("r-" + key, await client.GetAsync(key));
        Assert.Equal("STORED\r\n", await client.SetAsync(keys[0], "after"));
        Assert.Equal("after", await replica.GetAsync(keys[0]));
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < limit)
            await Task.Delay(10);
        Assert.True(condition(), $"condition not met within {limit}");
    }
}
