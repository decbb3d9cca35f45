using System.Net;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>The replication API only answers the cluster token; a node without one serves none of it.</summary>
[Trait("Category", "Integration")]
public sealed class ReplicationSecurityTests
{
    [Fact]
    public async Task NodeWithoutToken_AnswersServiceUnavailable_WhateverTheRequestPresents()
    {
        using var node = ReplicationNodes.Start(token: null);
        // Started after the nodes: a slow start on a busy machine has its own bound.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var anonymous = new AdminClient(node.AdminPort, token: null);
        using var withToken = new AdminClient(node.AdminPort, ReplicationNodes.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await anonymous.StatusOfGetAsync("replication/streams", deadline.Token));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await withToken.StatusOfGetAsync("replication/streams", deadline.Token));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await withToken.StatusOfGetAsync("replication/stream?buckets=0-16383", deadline.Token));
        Assert.Equal(HttpStatusCode.OK, await anonymous.StatusOfGetAsync("healthz", deadline.Token));
    }

    [Fact]
    public async Task PullWithATokenTheSourceRejects_RestartsWithTheSources401_AndCopiesNothing()
    {
        using var sourceNode = ReplicationNodes.Start(ReplicationNodes.Token);
        using var targetNode = ReplicationNodes.Start("some-other-clusters-token");
        // Started after the nodes: a slow start on a busy machine has its own bound.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var cancellation = deadline.Token;
        using (var client = await TextClient.ConnectAsync(sourceNode.Port, cancellation))
        {
            Assert.Equal("STORED", await client.SetAsync("secret", "not-for-other-clusters", 0, 0, cancellation));
        }

        using var wrong = new AdminClient(sourceNode.AdminPort, "some-other-clusters-token");
        using var anonymous = new AdminClient(sourceNode.AdminPort, token: null);
        using var right = new AdminClient(sourceNode.AdminPort, ReplicationNodes.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, await wrong.StatusOfGetAsync("replication/streams", cancellation));
        Assert.Equal(HttpStatusCode.Unauthorized, await anonymous.StatusOfGetAsync("replication/streams", cancellation));
        Assert.Equal(HttpStatusCode.Unauthorized, await wrong.StatusOfGetAsync("replication/stream?buckets=0-16383", cancellation));
        Assert.Equal(HttpStatusCode.OK, await right.StatusOfGetAsync("replication/streams", cancellation));

        using var targetAdmin = new AdminClient(targetNode.AdminPort, "some-other-clusters-token");
        await targetAdmin.StartPullAsync(sourceNode.AdminPort, "0-16383", "warmup", cancellation);
        var refused = await targetAdmin.WaitForAsync(
            v => v.Pull is { Restarts: >= 1, LastError: { } error } && error.Contains("401", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "restarted with the source's 401", cancellation);

        Assert.NotEqual("Tailing", refused.Pull!.Phase);
        Assert.Null((await right.StreamsAsync(cancellation)).Source);
        using var target = await TextClient.ConnectAsync(targetNode.Port, cancellation);
        Assert.Null(await target.GetAsync("secret", cancellation));
    }
}
