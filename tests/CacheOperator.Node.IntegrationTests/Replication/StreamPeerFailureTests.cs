using System.Diagnostics;
using System.Globalization;
using CacheOperator.Node.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>Either end of a warm-up stream dies (SIGKILL) mid-stream; the other end copes visibly and keeps serving.</summary>
[Trait("Category", "Integration")]
public sealed class StreamPeerFailureTests(ITestOutputHelper output)
{
    private const int KeyCount = 1500;

    [Fact]
    public async Task SourceKilledAndReplaced_TargetRestartsVisiblyAndConvergesToTheNewSource()
    {
        var sourceAdminPort = FreePort.Next();
        using var oldSource = ReplicationNodes.Start(ReplicationNodes.Token, sourceAdminPort);
        // Started after the nodes: a slow start on a busy machine has its own bound.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var cancellation = deadline.Token;
        CacheNodeProcess? newSource = null;
        using var targetNode = ReplicationNodes.Start(ReplicationNodes.Token);
        using var stopReaders = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var targetReader = new GetterLoop();
        var newSourceReader = new GetterLoop();
        var readers = new List<Task>();
        try
        {
            using var sourceAdmin = new AdminClient(sourceAdminPort, ReplicationNodes.Token);
            using var targetAdmin = new AdminClient(targetNode.AdminPort, ReplicationNodes.Token);
            var keys = Enumerable.Range(0, KeyCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"peer:{i}")).ToList();
            using (var client = await TextClient.ConnectAsync(oldSource.Port, cancellation))
            {
                foreach (var key in keys)
                {
                    Assert.Equal("STORED", await client.SetAsync(key, "old-" + key, 1, 0, cancellation));
                }
            }

            await targetAdmin.StartPullAsync(sourceAdminPort, ReplicationNodes.LowerHalf, "warmup", cancellation);
            var first = await targetAdmin.WaitForAsync(v => v.Pull is { Phase: "Tailing", LagEntries: 0, Items: > 0 }, TimeSpan.FromSeconds(20), "tailing", cancellation);
            output.WriteLine($"first attempt tailing: {first.Pull}");
            readers.Add(targetReader.RunAsync(targetNode.Port, "peer:", KeyCount, stopReaders.Token));

            var clock = Stopwatch.StartNew();
            // Dispose is Process.Kill: SIGKILL, no graceful shutdown, the stream breaks wherever it is.
            oldSource.Dispose();
            ReplicationNodes.WaitUntilPortIsFree(sourceAdminPort, TimeSpan.FromSeconds(10));
            newSource = ReplicationNodes.Start(ReplicationNodes.Token, sourceAdminPort);
            output.WriteLine($"new source up on admin port {sourceAdminPort} {clock.ElapsedMilliseconds} ms after the kill");
            readers.Add(newSourceReader.RunAsync(newSource.Port, "peer:", KeyCount, stopReaders.Token));

            // Different data: a third of the old keys absent, the rest with new values, flags and TTLs, and new keys.
            keys.AddRange(Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture, $"fresh:{i}")));
            using var newClient = await TextClient.ConnectAsync(newSource.Port, cancellation);
            for (var i = 0; i < keys.Count; i++)
            {
                if (i % 3 != 0)
                {
                    Assert.Equal("STORED", await newClient.SetAsync(keys[i], "new-" + keys[i], 2, 900, cancellation));
                }
            }

            var back = await targetAdmin.WaitForAsync(
                v => v.Pull is { Restarts: >= 1, Phase: "Tailing", LagEntries: 0, LastError.Length: > 0 }, TimeSpan.FromSeconds(25), "restarted and tailing the new source", cancellation);
            output.WriteLine($"tailing the new source {clock.ElapsedMilliseconds} ms after the kill: {back.Pull}");

            // Writes after the new attempt tails travel the log, not the snapshot.
            for (var i = 0; i < KeyCount; i += 3)
            {
                Assert.Equal("STORED", await newClient.SetAsync(keys[i], "tail-" + keys[i], 3, 0, cancellation));
            }

            var pull = await ReplicationNodes.WaitCaughtUpAsync(sourceAdmin, targetAdmin, TimeSpan.FromSeconds(15), cancellation);
            output.WriteLine($"converged {clock.ElapsedMilliseconds} ms after the kill: {pull}");
            Assert.True(pull.Restarts >= 1, $"the pull never counted a restart: {pull}");

            var mirrored = await KeySpaceCheck.AssertTargetMirrorsSourceAsync(newSource.Port, targetNode.Port, keys, ReplicationNodes.InLowerHalf, cancellation);
            output.WriteLine($"{mirrored} items of the pulled buckets match the new source");
            Assert.True(mirrored > keys.Count / 5, $"only {mirrored} items in the pulled buckets");
            using var target = await TextClient.ConnectAsync(targetNode.Port, cancellation);
            foreach (var key in keys)
            {
                var item = await target.MetaGetAsync(key, cancellation);
                Assert.False(item?.Value.StartsWith("old-", StringComparison.Ordinal) ?? false, $"{key}: the old source's value survived: {item}");
            }
        }
        finally
        {
            await stopReaders.CancelAsync();
            await Task.WhenAll(readers);
            oldSource.Dispose();
            newSource?.Dispose();
        }

        output.WriteLine($"reads answered during the test: target {targetReader.Answered}, new source {newSourceReader.Answered}");
        Assert.Empty(targetReader.Failures);
        Assert.Empty(newSourceReader.Failures);
        Assert.True(targetReader.Answered > 0 && newSourceReader.Answered > 0, "a reader got no answer at all");
    }

    [Fact]
    public async Task TargetKilled_SourceFreesTheStreamAndKeepsServing()
    {
        using var sourceNode = ReplicationNodes.Start(ReplicationNodes.Token);
        // Started after the nodes: a slow start on a busy machine has its own bound.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var cancellation = deadline.Token;
        using var sourceAdmin = new AdminClient(sourceNode.AdminPort, ReplicationNodes.Token);
        using var client = await TextClient.ConnectAsync(sourceNode.Port, cancellation);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal("STORED", await client.SetAsync(string.Create(CultureInfo.InvariantCulture, $"gone:{i}"), "value", 0, 0, cancellation));
        }

        using (var targetNode = ReplicationNodes.Start(ReplicationNodes.Token))
        {
            using var targetAdmin = new AdminClient(targetNode.AdminPort, ReplicationNodes.Token);
            await targetAdmin.StartPullAsync(sourceNode.AdminPort, "0-16383", "warmup", cancellation);
            await targetAdmin.WaitForAsync(v => v.Pull is { Phase: "Tailing" }, TimeSpan.FromSeconds(20), "tailing", cancellation);
            var served = await sourceAdmin.StreamsAsync(cancellation);
            Assert.True(served.Source is not null, $"the source does not list the stream it serves: {served}");
        }

        // Dispose above killed the target (SIGKILL). No write helps the source notice: an idle stream must go too.
        var clock = Stopwatch.StartNew();
        var freed = await sourceAdmin.WaitForAsync(v => v.Source is null, TimeSpan.FromSeconds(5), "rid of the dead target's stream", cancellation);
        output.WriteLine($"stream freed {clock.ElapsedMilliseconds} ms after the target was killed: {freed}");

        Assert.Equal("STORED", await client.SetAsync("gone:after", "value", 0, 0, cancellation));
        Assert.Equal("value", await client.GetAsync("gone:after", cancellation));
        Assert.Equal("STORED", await client.SetAsync("gone:later", "still-serving", 0, 0, cancellation));
        Assert.Equal("still-serving", await client.GetAsync("gone:later", cancellation));
        using var fresh = await TextClient.ConnectAsync(sourceNode.Port, cancellation);
        Assert.Equal("value", await fresh.GetAsync("gone:0", cancellation));
    }
}
