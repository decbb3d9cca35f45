using System.Net;
using System.Text.Json;
using CacheOperator.Ring;
using CacheOperator.Router.Tests.Harness;

namespace CacheOperator.Router.Tests;

/// <summary>A newer ring replaces the one in use while clients stay connected; an older one is refused.</summary>
public sealed class RingReloadTests : IAsyncLifetime
{
    private readonly List<BackendProcess> _backends = [];
    private RouterUnderTest? _router;

    public async Task InitializeAsync()
    {
        _backends.Add(BackendProcess.Memcached());
        _backends.Add(BackendProcess.Memcached());
        _router = await RouterUnderTest.StartAsync(RingOn(5, _backends[0]));
    }

    public async Task DisposeAsync()
    {
        if (_router is not null)
            await _router.DisposeAsync();
        foreach (var backend in _backends)
            backend.Dispose();
    }

    [Fact]
    public async Task PostRing_Newer_IsUsedAtOnceOnTheSameClientConnection()
    {
        using var client = _router!.Connect();
        Assert.Equal("STORED\r\n", await client.SetAsync("k", "old"));

        using var response = await _router.PostRingAsync(RingOn(6, _backends[1]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(6, await VersionAsync());

        Assert.Equal("STORED\r\n", await client.SetAsync("k", "new"));
        using var second = new TextClient(_backends[1].Port);
        Assert.Equal("new", await second.GetAsync("k"));
        using var first = new TextClient(_backends[0].Port);
        Assert.Equal("old", await first.GetAsync("k"));
    }

    [Fact]
    public async Task RingSwaps_UnderLoad_DropNoConnectionAndFailNoRequest()
    {
        var failures = 0;
        var done = 0;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
        {
            using var client = _router!.Connect();
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                var reply = await client.SetAsync($"swap{c}-{i % 50}", "v");
                var get = await client.CallAsync($"get swap{c}-{i % 50}\r\n", "END\r\n");
                // A get right after a swap may miss (its key now lives on the other backend); that is routing, not failure.
                if (reply != "STORED\r\n" || !(get.StartsWith("VALUE", StringComparison.Ordinal) || get == "END\r\n"))
                    Interlocked.Increment(ref failures);
                Interlocked.Increment(ref done);
            }
        })).ToArray();

        // Flip every key between the two backends ten times while the clients run on their open connections.
        for (var version = 6; version < 16; version++)
        {
            await Task.Delay(50);
            using var response = await _router!.PostRingAsync(RingOn(version, _backends[version % 2]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Task.Delay(100);
        stop.Cancel();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(15, await VersionAsync());
        Assert.True(done > 100, $"only {done} requests");
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task PostRing_Older_IsRefusedWith409AndTheRingStays()
    {
        using var response = await _router!.PostRingAsync(RingOn(4, _backends[1]));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(5, await VersionAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task PostRing_WithoutTheClusterToken_Is401(string? token)
    {
        using var response = await _router!.PostRingAsync(RingOn(9, _backends[1]), token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(5, await VersionAsync());
    }

    [Fact]
    public async Task PostRing_Invalid_Is400()
    {
        using var content = new StringContent("{\"schemaVersion\":1}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ring") { Content = content };
        request.Headers.Authorization = new("Bearer", RouterUnderTest.Token);
        using var response = await _router!.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RingFile_Rewritten_IsPickedUpWithoutDroppingClients()
    {
        using var client = _router!.Connect();
        Assert.Equal("STORED\r\n", await client.SetAsync("f", "before"));
        await File.WriteAllBytesAsync(_router.RingFile, RingFactory.Json(RingOn(7, _backends[1])));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await VersionAsync() != 7 && waited.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
        Assert.Equal(7, await VersionAsync());
        Assert.Null(await client.GetAsync("f"));

        // An older file is ignored.
        await File.WriteAllBytesAsync(_router.RingFile, RingFactory.Json(RingOn(3, _backends[0])));
        await Task.Delay(400);
        Assert.Equal(7, await VersionAsync());
    }

    [Fact]
    public async Task AdminEndpoints_ReportHealthReadinessAndMetrics()
    {
        Assert.Equal("ok", await _router!.Admin.GetStringAsync("/healthz"));
        using var ready = await _router.Admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var client = _router.Connect();
        await client.SetAsync("m", "1");
        var metrics = await _router.Admin.GetStringAsync("/metrics");
        Assert.Contains("router_ring_version 5", metrics, StringComparison.Ordinal);
        Assert.Contains($"router_backend_requests_total{{pool=\"main\",backend=\"127.0.0.1:{_backends[0].Port}\"}} ", metrics, StringComparison.Ordinal);
        Assert.Contains($"router_backend_up{{pool=\"main\",backend=\"127.0.0.1:{_backends[0].Port}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("router_backend_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("router_backend_errors_total", metrics, StringComparison.Ordinal);
    }

    private async Task<long> VersionAsync()
    {
        using var document = JsonDocument.Parse(await _router!.Admin.GetStringAsync("/ring/version"));
        return document.RootElement.GetProperty("version").GetInt64();
    }

    private static CacheRing RingOn(long version, BackendProcess backend) =>
        RingFactory.Ring(version, [RingFactory.Pool("main", [], [backend.Address])]);
}
