using System.Collections.Concurrent;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Tests.Orchestration;

public sealed class FailoverReconcileTests
{
    private const string Spec = """{"shards":2,"standbys":1,"memory":"64Mi","failover":{"notReadyThresholdSeconds":5}}""";
    private const string WithReplica = """{"shards":1,"replicasPerShard":2,"standbys":1,"memory":"64Mi","failover":{"notReadyThresholdSeconds":5}}""";

    private sealed class FakeNodes : IFailoverNodeAdmin
    {
        public ConcurrentQueue<string> Promoted { get; } = new();

        public ConcurrentQueue<string> Emptied { get; } = new();

        public bool Refuse { get; set; }

        /// <summary>IPs whose /healthz probe fails while their pods still say Ready.</summary>
        public ConcurrentDictionary<string, bool> Frozen { get; } = new(StringComparer.Ordinal);

        public Task<bool> ProbeAsync(string podIP, string token, CancellationToken ct) => Task.FromResult(!Frozen.ContainsKey(podIP));

        public Task<bool> EmptyAsync(string podIP, string token, CancellationToken ct)
        {
            Emptied.Enqueue(podIP);
            return Task.FromResult(true);
        }

        public Task<bool> PromoteAsync(string podIP, string token, CancellationToken ct)
        {
            if (Refuse)
                return Task.FromResult(false);
            Promoted.Enqueue(podIP);
            return Task.FromResult(true);
        }
    }

    private static async Task<(ReconcileHarness H, FakeNodes Nodes)> RunningAsync(string spec)
    {
        var h = new ReconcileHarness();
        var nodes = new FakeNodes();
        h.Reconciler.Failover.Nodes = nodes;
        await h.CreateAsync("demo", spec);
        await h.ReconcileAsync("demo");
        await h.RunPodsAsync("demo-default", "10.1.0");
        await h.RunRouterPodsAsync("demo-router", "10.2.0");
        await h.ConvergeAsync("demo");
        Assert.Equal(ClusterPhases.Running, (await h.ClusterAsync("demo")).Status!.Phase);
        return (h, nodes);
    }

    /// <summary>The pod's Ready condition turned False this long ago.</summary>
    internal static async Task NotReadyForAsync(ReconcileHarness h, string pod, TimeSpan age)
    {
        var current = (await h.GetAsync<Pod>(pod))!;
        current.Status!.Conditions = [new Condition { Type = "Ready", Status = "False", LastTransitionTime = DateTimeOffset.UtcNow - age }];
        await h.Api.ReplaceStatusAsync(current);
    }

    internal static async Task<(CacheRing Ring, MemberAssignment Members)> RingAsync(ReconcileHarness h)
    {
        var map = (await h.GetAsync<ConfigMap>("demo-ring"))!;
        return (RingDocument.Parse(map.Data!["ring.json"]), MemberAssignment.TryParse(map.Data["members.json"])!);
    }

    [Fact]
    public async Task PrimaryNotReadyPastThreshold_StandbyTakesTheShard_InTheNextRingVersion()
    {
        var (h, nodes) = await RunningAsync(Spec);
        var (before, _) = await RingAsync(h);

        await NotReadyForAsync(h, "demo-default-0", TimeSpan.FromSeconds(6));
        var outcome = await h.ReconcileAsync("demo");

        var (ring, members) = await RingAsync(h);
        Assert.Equal(before.Version + 1, ring.Version);
        var pool = members.Find("default")!.Members;
        Assert.Equal((MemberRole.Standby, null), (pool[0].Role, pool[0].Shard));
        Assert.Equal((MemberRole.Primary, "shard-0"), (pool[2].Role, pool[2].Shard));
        Assert.Equal("10.1.0.3", ring.FindPool("default")!.Shards.Single(s => s.Id == "shard-0").Primary.Host);
        Assert.Empty(nodes.Promoted);
        Assert.True(h.Routers.Served.Values.All(v => v == ring.Version));
        var events = (await h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items;
        Assert.Contains(events, e => e.Reason == "FailoverStarted");
        Assert.Contains(events, e => e.Reason == "ShardPromoted" && e.Message!.Contains("detection to publish", StringComparison.Ordinal));
        Assert.Equal(FailoverCoordinator.WatchRequeue, outcome.RequeueAfter);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        h.Metrics.WriteTo(buffer);
        Assert.Contains("cacheoperator_failovers_total 1", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);

        // The next reconcile repeats nothing; the failed pod shows as a standby until and after it recovers, when
        // its cache is emptied once.
        await h.ReconcileAsync("demo");
        Assert.Equal(ring.Version, (await RingAsync(h)).Ring.Version);
        Assert.Empty(nodes.Emptied);
        await h.RunPodAsync("demo-default-0", (await h.GetAsync<Pod>("demo-default-0"))!.Metadata.Labels!, "10.1.0.1", ready: true);
        await h.ConvergeAsync("demo");
        var status = (await h.ClusterAsync("demo")).Status!;
        Assert.Equal(MemberRoles.Standby, status.Members!.Single(m => m.Name == "demo-default-0").Role);
        Assert.Equal(ClusterPhases.Running, status.Phase);
        await h.ReconcileAsync("demo");
        Assert.Equal(["10.1.0.1"], nodes.Emptied);
    }

    [Fact]
    public async Task PrimaryNotReadyUnderThreshold_IsWatchedEverySecond_AndNothingMoves()
    {
        var (h, _) = await RunningAsync(Spec);
        var (before, _) = await RingAsync(h);

        await NotReadyForAsync(h, "demo-default-1", TimeSpan.FromSeconds(1));
        var outcome = await h.ReconcileAsync("demo");

        Assert.Equal(FailoverCoordinator.WatchRequeue, outcome.RequeueAfter);
        Assert.Equal(before.Version, (await RingAsync(h)).Ring.Version);
    }

    [Fact]
    public async Task ReadyReplica_IsPromotedOnTheNode_BeforeTheRingNamesIt()
    {
        var (h, nodes) = await RunningAsync(WithReplica);

        await NotReadyForAsync(h, "demo-default-0", TimeSpan.FromSeconds(10));
        nodes.Refuse = true;
        await h.ReconcileAsync("demo");
        Assert.Equal(MemberRole.Primary, (await RingAsync(h)).Members.Find("default")!.Members[0].Role);

        nodes.Refuse = false;
        await h.ReconcileAsync("demo");
        var (ring, members) = await RingAsync(h);
        Assert.Equal(["10.1.0.2"], nodes.Promoted);
        Assert.Equal((MemberRole.Primary, "shard-0"), (members.Find("default")!.Members[1].Role, members.Find("default")!.Members[1].Shard));
        Assert.Equal("10.1.0.2", ring.FindPool("default")!.Shards.Single().Primary.Host);
    }

    [Fact]
    public async Task MostPodsDown_SuspendsFailover_AndStatusSaysSo()
    {
        var (h, _) = await RunningAsync(Spec);
        var (before, _) = await RingAsync(h);

        await NotReadyForAsync(h, "demo-default-0", TimeSpan.FromSeconds(10));
        await NotReadyForAsync(h, "demo-default-1", TimeSpan.FromSeconds(10));
        await h.ReconcileAsync("demo");

        Assert.Equal(before.Version, (await RingAsync(h)).Ring.Version);
        var status = (await h.ClusterAsync("demo")).Status!;
        var degraded = Conditions.Find(status.Conditions, ConditionTypes.Degraded)!;
        Assert.Equal(("True", FailoverCoordinator.ReasonSuspended), (degraded.Status, degraded.Reason));
        Assert.Contains("1 of 3", degraded.Message, StringComparison.Ordinal);
    }
}
