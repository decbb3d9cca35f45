using System.Text;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Reconciler.Tests;

/// <summary>Pushing rings over HTTP to a router admin endpoint on 127.0.0.1 that checks the bearer token.</summary>
public class RingPushTests
{
    private const string Ring = """{"schemaVersion":1,"version":7,"defaultPool":"default","pools":[{"name":"default","buckets":["0-15:shard-0"],"bucketCount":16,"shards":[{"id":"shard-0","primary":"10.0.0.1:11211"}]}]}""";

    private static HttpRouterAdmin Admin(HttpClient http, int port) =>
        new(http, port, NullLogger<HttpRouterAdmin>.Instance, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Push_WithTheToken_IsApplied_AndTheVersionReadsBack()
    {
        await using var router = await FakeRouterServer.StartAsync("s3cret");
        using var http = new HttpClient();
        var admin = Admin(http, router.Port);

        Assert.Equal(0, await admin.GetRingVersionAsync("127.0.0.1", CancellationToken.None));
        Assert.True(await admin.PushRingAsync("127.0.0.1", Ring, "s3cret", CancellationToken.None));
        Assert.Equal(7, await admin.GetRingVersionAsync("127.0.0.1", CancellationToken.None));
    }

    [Fact]
    public async Task Push_WithAWrongToken_IsRefused()
    {
        await using var router = await FakeRouterServer.StartAsync("s3cret");
        using var http = new HttpClient();

        Assert.False(await Admin(http, router.Port).PushRingAsync("127.0.0.1", Ring, "guess", CancellationToken.None));
        Assert.Equal(0, router.Version);
    }

    [Fact]
    public async Task UnreachableRouter_AnswersNull_AndFalse_WithoutThrowing()
    {
        int port;
        await using (var gone = await FakeRouterServer.StartAsync("t"))
            port = gone.Port;
        using var http = new HttpClient();
        var admin = Admin(http, port);

        Assert.Null(await admin.GetRingVersionAsync("127.0.0.1", CancellationToken.None));
        Assert.False(await admin.PushRingAsync("127.0.0.1", Ring, "t", CancellationToken.None));
    }

    [Fact]
    public async Task Reconcile_PushesTheClustersRing_WithItsToken_ToAReadyRouter()
    {
        // The token the cluster will use is fixed up front, so the fake router can check it.
        const string token = "feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface";
        await using var router = await FakeRouterServer.StartAsync(token);
        using var http = new HttpClient();
        var h = new ReconcileHarness(Admin(http, router.Port));
        await h.Api.CreateAsync(new Secret
        {
            Metadata = new() { Name = "demo-token", Namespace = ReconcileHarness.Ns },
            Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes(token) },
        });
        await h.CreateAsync("demo", """{"shards":1,"memory":"64Mi","router":{"replicas":1}}""");
        await h.ReconcileAsync("demo");
        await h.RunPodsAsync("demo-default", "10.1.0");
        await h.RunRouterPodsAsync("demo-router", "127.0.0");

        await h.ConvergeAsync("demo");

        var status = (await h.ClusterAsync("demo")).Status!;
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready), string.Join("; ", status.Conditions.Select(c => $"{c.Type}={c.Status} {c.Message}")));
        Assert.Equal(status.RingVersion, router.Version);
        Assert.Equal(status.RingVersion, status.Routers!.RingVersion);

        int pushes = router.Pushes;
        await h.ReconcileAsync("demo");
        Assert.Equal(pushes, router.Pushes);
    }
}
