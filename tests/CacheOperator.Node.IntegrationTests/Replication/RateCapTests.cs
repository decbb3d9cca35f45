using System.Diagnostics;
using System.Globalization;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>
/// spec.warmUp.bytesPerSecond reaches the node as a pull's cap: the copy goes no faster than the cap, yet
/// completes, and the idle watchdog does not mistake our own pauses for a silent source.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RateCapTests
{
    private const int Items = 400;
    private const int ValueBytes = 4096;
    private const long Cap = 512 * 1024;

    [Fact]
    public async Task CappedPull_CopiesNoFasterThanItsCap_AndStillCompletesEverything()
    {
        using var sourceNode = ReplicationNodes.Start(ReplicationNodes.Token);
        using var targetNode = ReplicationNodes.Start(ReplicationNodes.Token);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var cancellation = deadline.Token;
        using var source = await TextClient.ConnectAsync(sourceNode.Port, cancellation);
        var value = new string('v', ValueBytes);
        for (var i = 0; i < Items; i++)
            Assert.Equal("STORED", await source.SetAsync(string.Create(CultureInfo.InvariantCulture, $"cap:{i}"), value, 0, 0, cancellation));

        using var targetAdmin = new AdminClient(targetNode.AdminPort, ReplicationNodes.Token);
        var clock = Stopwatch.StartNew();
        await targetAdmin.StartPullAsync(sourceNode.AdminPort, "0-16383", "warmup", cancellation, bytesPerSecond: Cap);

        // About 1.6 MB at 512 KiB/s: the snapshot cannot be over before three seconds have passed. Sampled as it
        // runs, the bytes copied never exceed what the cap allows since the pull was started (a slow start on a busy
        // machine only leaves them further below).
        var earliest = (double)Items * ValueBytes / Cap;
        for (var sample = 0; sample < 4; sample++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
            var view = await targetAdmin.StreamsAsync(cancellation);
            var allowed = Cap * clock.Elapsed.TotalSeconds + Cap / 10 + 64 * 1024;
            Assert.True(view.Pull!.Bytes <= allowed, $"{view.Pull.Bytes} bytes after {clock.Elapsed.TotalSeconds:0.00} s: over the cap of {Cap} B/s ({view})");
        }

        var done = await targetAdmin.WaitForAsync(v => v.Pull is { Phase: "Tailing" }, TimeSpan.FromSeconds(30), "tailing", cancellation);
        var took = clock.Elapsed.TotalSeconds;
        Assert.True(took >= earliest * 0.9, $"the capped copy finished in {took:0.0} s, faster than {Cap} B/s allows ({earliest:0.0} s)");
        Assert.Equal(Items, done.Pull!.Items);
        Assert.Equal(0, done.Pull.Restarts);

        using var target = await TextClient.ConnectAsync(targetNode.Port, cancellation);
        Assert.Equal(value, await target.GetAsync("cap:0", cancellation));
        Assert.Equal(value, await target.GetAsync(string.Create(CultureInfo.InvariantCulture, $"cap:{Items - 1}"), cancellation));
    }

    [Fact]
    public async Task PullWithANonPositiveCap_IsRefusedWithAClearError()
    {
        using var node = ReplicationNodes.Start(ReplicationNodes.Token);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", ReplicationNodes.Token);
        using var response = await http.PostAsync(
            new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{node.AdminPort}/replication/pulls")),
            new StringContent("""{"source":"http://127.0.0.1:1","buckets":"0-16383","bytesPerSecond":0}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("bytesPerSecond 0 must be positive", body, StringComparison.Ordinal);
    }
}
