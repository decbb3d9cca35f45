using System.Globalization;
using System.Text.RegularExpressions;
using CacheOperator.Router.Tests.Harness;

namespace CacheOperator.Router.Tests;

/// <summary>
/// On the epoll transport a loop thread runs its clients and its own backend connections, so a request, its
/// backend's reply and the client's answer never pass through the thread pool. The pool's work-item counter
/// (dotnet_thread_pool_work_item_count_total, on the router's /metrics) shows it: a hand-off per request, or per
/// part of a multi-get, would be at least one item each. Timers, heartbeats and the scrapes themselves account for
/// the few that run meanwhile.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class EpollHandOffTests : IDisposable
{
    private const int Rounds = 1000;

    /// <summary>3,000 requests below: far more than this, were any kind of them handed off.</summary>
    private const double MostPoolItems = 600;

    private readonly BackendProcess _node = BackendProcess.Node();
    private readonly string _directory = Directory.CreateTempSubdirectory("router-handoff-").FullName;

    [Theory]
    [InlineData("epoll", true)]
    [InlineData("direct", false)]
    public async Task GetsSetsAndMultiGets_RunWithoutThreadPoolWork_OnlyOnEpoll(string transport, bool withoutPool)
    {
        var ringFile = Path.Combine(_directory, $"ring-{transport}.json");
        await File.WriteAllBytesAsync(ringFile, RingFactory.Json(RingFactory.Ring(1, [RingFactory.Pool("main", [], [_node.Address])])));
        using var router = new RouterProcess(ringFile, "--transport", transport, "-t", "1");
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{router.AdminPort}"), Timeout = TimeSpan.FromSeconds(10) };
        using var client = new TextClient(router.Port);
        var keys = Enumerable.Range(0, 10).Select(i => $"handoff:{i}").ToArray();
        foreach (var key in keys)
            Assert.Equal("STORED\r\n", await client.SetAsync(key, "v"));
        var multiGet = "get " + string.Join(' ', keys) + "\r\n";

        var before = await PoolItemsAsync(admin);
        for (var i = 0; i < Rounds; i++)
        {
            Assert.Equal("STORED\r\n", await client.SetAsync("handoff:x", "y"));
            Assert.Equal("y", await client.GetAsync("handoff:x"));
            var values = await client.CallAsync(multiGet, "END\r\n");
            Assert.Equal(keys.Length, CountValues(values));
        }

        var items = await PoolItemsAsync(admin) - before;

        if (withoutPool)
            Assert.InRange(items, 0, MostPoolItems);
        else
            Assert.True(items > MostPoolItems, $"direct ran {items} pool items: the threshold no longer tells the transports apart");
    }

    public void Dispose()
    {
        _node.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static int CountValues(string reply) =>
        reply.Split("\r\n").Count(line => line.StartsWith("VALUE ", StringComparison.Ordinal));

    private static async Task<double> PoolItemsAsync(HttpClient admin)
    {
        var metrics = await admin.GetStringAsync("/metrics");
        var match = PoolItemsLine().Match(metrics);
        Assert.True(match.Success, "the router exports dotnet_thread_pool_work_item_count_total");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^dotnet_thread_pool_work_item_count_total (\S+)$", RegexOptions.Multiline)]
    private static partial Regex PoolItemsLine();
}
