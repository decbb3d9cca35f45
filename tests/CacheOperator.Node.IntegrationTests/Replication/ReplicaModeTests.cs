using System.Globalization;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>A replica pull makes the node read-only for clients until it is promoted.</summary>
[Trait("Category", "Integration")]
public sealed class ReplicaModeTests
{
    [Fact]
    public async Task ReplicaPull_RefusesClientWritesUntilPromoted_ThenTakesThem()
    {
        using var primaryNode = ReplicationNodes.Start(ReplicationNodes.Token);
        using var replicaNode = ReplicationNodes.Start(ReplicationNodes.Token);
        // Started after the nodes: a slow start on a busy machine has its own bound.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var cancellation = deadline.Token;
        using var primary = await TextClient.ConnectAsync(primaryNode.Port, cancellation);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("STORED", await primary.SetAsync(string.Create(CultureInfo.InvariantCulture, $"rep:{i}"), "primary", 5, 0, cancellation));
        }

        using var replicaAdmin = new AdminClient(replicaNode.AdminPort, ReplicationNodes.Token);
        using var replica = await TextClient.ConnectAsync(replicaNode.Port, cancellation);
        Assert.Equal("STORED", await replica.SetAsync("before", "writable", 0, 0, cancellation));

        await replicaAdmin.StartPullAsync(primaryNode.AdminPort, "0-16383", "replica", cancellation);
        var replicating = await replicaAdmin.StreamsAsync(cancellation);
        Assert.True(replicating.ReadOnlyReplica, $"not read-only right after the replica pull started: {replicating}");
        var tailing = await replicaAdmin.WaitForAsync(v => v.Pull is { Role: "replica", Phase: "Tailing", LagEntries: 0 }, TimeSpan.FromSeconds(20), "tailing", cancellation);
        Assert.True(tailing.ReadOnlyReplica, $"not read-only while tailing: {tailing}");

        Assert.Equal("SERVER_ERROR this node is a read-only replica", await replica.SetAsync("rep:0", "client-write", 0, 0, cancellation));
        Assert.Equal("SERVER_ERROR this node is a read-only replica", await replica.CommandAsync("delete rep:1", cancellation));
        Assert.Equal("SERVER_ERROR this node is a read-only replica", await replica.CommandAsync("incr rep:2 1", cancellation));

        // The refused set's data block was not read as a request, and reads still work on the same connection.
        Assert.Equal("primary", await replica.GetAsync("rep:0", cancellation));
        Assert.Equal("primary", await replica.GetAsync("rep:1", cancellation));

        // The primary's writes still arrive through the stream.
        Assert.Equal("STORED", await primary.SetAsync("rep:0", "primary-later", 6, 0, cancellation));
        var arrived = false;
        for (var i = 0; i < 100 && !arrived; i++)
        {
            arrived = await replica.GetAsync("rep:0", cancellation) == "primary-later";
            if (!arrived)
            {
                await Task.Delay(50, cancellation);
            }
        }

        Assert.True(arrived, "the primary's write did not reach the replica within 5 s");

        await replicaAdmin.PromoteAsync(cancellation);
        var promoted = await replicaAdmin.StreamsAsync(cancellation);
        Assert.False(promoted.ReadOnlyReplica, $"still read-only after promote: {promoted}");
        Assert.Null(promoted.Pull);

        Assert.Equal("STORED", await replica.SetAsync("rep:0", "promoted-write", 0, 0, cancellation));
        Assert.Equal("promoted-write", await replica.GetAsync("rep:0", cancellation));
        Assert.Equal("DELETED", await replica.CommandAsync("delete rep:1", cancellation));
        Assert.Equal("primary", await replica.GetAsync("rep:3", cancellation));
    }
}
