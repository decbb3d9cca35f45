using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>
/// A warm-up between two real node processes while clients keep changing the source: once the load stops and
/// the target has caught up, the target holds exactly the source's items of the pulled buckets.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WarmUpUnderLoadTests(ITestOutputHelper output)
{
    private const int KeyCount = 3000;

    [Fact]
    public async Task WarmUp_UnderConcurrentLoad_TargetEndsWithExactlyTheSourcesItemsOfThePulledBuckets()
    {
        using var sourceNode = ReplicationNodes.Start(ReplicationNodes.Token);
        using var targetNode = ReplicationNodes.Start(ReplicationNodes.Token);
        // Started after the nodes: a slow start on a busy machine has its own bound.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var cancellation = deadline.Token;
        using var sourceAdmin = new AdminClient(sourceNode.AdminPort, ReplicationNodes.Token);
        using var targetAdmin = new AdminClient(targetNode.AdminPort, ReplicationNodes.Token);

        var keys = Enumerable.Range(0, KeyCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"warm:{i}")).ToArray();
        using (var client = await TextClient.ConnectAsync(sourceNode.Port, cancellation))
        {
            for (var i = 0; i < keys.Length; i++)
            {
                Assert.Equal("STORED", await client.SetAsync(keys[i], SourceLoad.InitialValue(i), (uint)i, i % 3 == 0 ? 0 : 600 + i, cancellation));
            }
        }

        var seed = Environment.TickCount;
        output.WriteLine($"load seed {seed}");
        var load = new SourceLoad(sourceNode.Port, keys, connections: 2, seed);
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var loadTask = load.RunAsync(stopLoad.Token);
        try
        {
            // The pull starts once the load is really running, so the snapshot walk races client writes.
            for (var i = 0; i < 200 && load.Operations < 500; i++)
            {
                await Task.Delay(25, cancellation);
            }

            var clock = Stopwatch.StartNew();
            await targetAdmin.StartPullAsync(sourceNode.AdminPort, ReplicationNodes.LowerHalf, "warmup", cancellation);
            var tailing = await targetAdmin.WaitForAsync(v => v.Pull is { Phase: "Tailing", LagEntries: 0 }, TimeSpan.FromSeconds(20), "tailing with no lag", cancellation);
            output.WriteLine($"tailing with lag 0 after {clock.ElapsedMilliseconds} ms under load: {tailing.Pull}");

            // Keep the load on while the stream tails, so that the log path (not only the snapshot) carries mutations.
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancellation);
        }
        finally
        {
            await stopLoad.CancelAsync();
            await loadTask;
        }

        output.WriteLine($"load: {load.Operations} operations, {load.AcknowledgedDeletes.Count} keys deleted last");
        Assert.Empty(load.Errors);
        Assert.True(load.Operations > 1000, $"the load ran only {load.Operations} operations");

        var caughtUp = Stopwatch.StartNew();
        var pull = await ReplicationNodes.WaitCaughtUpAsync(sourceAdmin, targetAdmin, TimeSpan.FromSeconds(15), cancellation);
        output.WriteLine($"caught up {caughtUp.ElapsedMilliseconds} ms after the load stopped: {pull}");
        Assert.True(pull.LogEntries > 0, $"no log entry was applied: the test did not exercise the tail ({pull})");

        var mirrored = await KeySpaceCheck.AssertTargetMirrorsSourceAsync(sourceNode.Port, targetNode.Port, keys, ReplicationNodes.InLowerHalf, cancellation);
        output.WriteLine($"{mirrored} items of the pulled buckets match");
        Assert.True(mirrored > KeyCount / 5, $"only {mirrored} items in the pulled buckets: the comparison proves little");

        using var target = await TextClient.ConnectAsync(targetNode.Port, cancellation);
        var deletedInBuckets = load.AcknowledgedDeletes.Where(ReplicationNodes.InLowerHalf).ToArray();
        Assert.NotEmpty(deletedInBuckets);
        foreach (var key in deletedInBuckets)
        {
            Assert.True(await target.MetaGetAsync(key, cancellation) is null, $"{key} was deleted on the source but the target still holds it");
        }
    }
}
