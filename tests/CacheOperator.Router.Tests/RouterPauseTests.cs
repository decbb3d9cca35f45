using System.Diagnostics;
using System.Globalization;
using System.Text;
using CacheOperator.Router.Tests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Router.Tests;

/// <summary>
/// The router itself paused (SIGSTOP, as CPU starvation, a long GC pause or a frozen container would): the replies
/// that arrived meanwhile are waiting unread, so the backends must not be blamed with timeouts or marked down.
/// </summary>
public sealed class RouterPauseTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly BackendProcess _backend;
    private readonly string _ringFile;
    private readonly RouterProcess _router;

    public RouterPauseTests(ITestOutputHelper output)
    {
        _output = output;
        _backend = BackendProcess.Memcached();
        try
        {
            _ringFile = Path.Combine(Directory.CreateTempSubdirectory("router-pause-").FullName, "ring.json");
            // A tight timeout (300 ms, 3 in a row mark down): pauses three times as long must still blame nobody.
            File.WriteAllBytes(_ringFile, RingFactory.Json(RingFactory.Ring(1,
                [RingFactory.Pool("main", [], [_backend.Address])], heartbeat: RingFactory.FastHeartbeat)));
            _router = new RouterProcess(_ringFile);
        }
        catch
        {
            _backend.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _router.Dispose();
        _backend.Dispose();
        Directory.Delete(Path.GetDirectoryName(_ringFile)!, recursive: true);
    }

    [Fact]
    public async Task PausedRouter_UnderLoad_BlamesNoBackend_AndEveryRequestIsAnswered()
    {
        using (var setup = new TextClient(_router.Port))
        {
            for (var i = 0; i < 64; i++)
                Assert.Equal("STORED\r\n", await setup.SetAsync($"pause{i}", $"v{i}"));
        }

        // Four clients each keep 16 meta gets in flight, bounded in batches and in time.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var loadOver = false;
        var loads = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            using var client = new TextClient(_router.Port);
            var batch = new StringBuilder();
            for (var i = 0; i < 16; i++)
                batch.Append(CultureInfo.InvariantCulture, $"mg pause{(c * 16) + i} v\r\n");
            batch.Append("mn\r\n");
            var request = batch.ToString();
            var (batches, errors) = (0, 0);
            while (!Volatile.Read(ref loadOver) && batches < 200_000 && !stop.IsCancellationRequested)
            {
                var reply = await client.CallAsync(request, "MN\r\n");
                batches++;
                errors += reply.Split("\r\n").Count(l => l.StartsWith("VA ", StringComparison.Ordinal)) == 16 ? 0 : 1;
            }

            return (batches, errors);
        })).ToArray();

        // Three pauses, each well past the request timeout, with the load running between them.
        var paused = new Stopwatch();
        for (var pause = 0; pause < 3; pause++)
        {
            await Task.Delay(400);
            paused.Start();
            _router.Signal("STOP");
            await Task.Delay(1000);
            _router.Signal("CONT");
            paused.Stop();
        }

        await Task.Delay(700);
        Volatile.Write(ref loadOver, true);
        var results = await Task.WhenAll(loads).WaitAsync(TimeSpan.FromSeconds(30));

        var metrics = await ScrapeAsync();
        var timeouts = Sum(metrics, "router_backend_errors_total", "kind=\"timeout\"");
        var markedDown = Sum(metrics, "router_backend_transitions_total", "to=\"down\"");
        var stalls = Sum(metrics, "router_timeout_check_stalls_total", "");
        _output.WriteLine($"paused 3 times, {paused.ElapsedMilliseconds} ms in all; batches {results.Sum(r => r.batches)}, batches with a missing value {results.Sum(r => r.errors)}; backend timeouts {timeouts}, marked down {markedDown}, timeout-check stalls {stalls}");

        Assert.True(stalls >= 3, $"the timeout check saw {stalls} of the 3 pauses");
        Assert.Equal(0, timeouts);
        Assert.Equal(0, markedDown);
        Assert.All(results, r => Assert.Equal(0, r.errors));
        Assert.All(results, r => Assert.True(r.batches > 10, $"only {r.batches} batches"));
    }

    private async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{_router.AdminPort}/metrics"));
    }

    private static double Sum(string metrics, string name, string label) =>
        metrics.Split('\n')
            .Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
