using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>
/// The operator's own /healthz probe as the third failure signal: a primary whose pod still says Ready but which
/// does not answer the operator (frozen before its readiness probe fails, or partitioned from the operator) is
/// failed over once the probe has failed for the threshold without a success in between.
/// </summary>
public sealed class ProbeFailoverReconcileTests
{
    private const string Spec = """{"shards":2,"standbys":1,"memory":"64Mi","failover":{"notReadyThresholdSeconds":5}}""";

    private readonly ManualTime _time = new(DateTimeOffset.UtcNow);

    /// <summary>Pods 0 and 1 (10.1.0.1, .2) primaries of shard-0 and shard-1, pod 2 (10.1.0.3) the standby; all Ready.</summary>
    private async Task<ReconcileHarness> RunningAsync(string spec = Spec)
    {
        var h = await ReplicaStreamsReconcileTests.RunningAsync(spec);
        h.Reconciler.Failover.Time = _time;
        return h;
    }

    private static Task<(CacheRing Ring, MemberAssignment Members)> RingAsync(ReconcileHarness h) => FailoverReconcileTests.RingAsync(h);

    [Fact]
    public async Task ReadyPrimary_FailingTheProbePastThreshold_StandbyTakesTheShard_AndTheEventNamesTheSignal()
    {
        var h = await RunningAsync();
        var (before, _) = await RingAsync(h);

        h.ReplicaNodes.Frozen["10.1.0.1"] = true;
        var first = await h.ReconcileAsync("demo");
        Assert.Equal(FailoverCoordinator.WatchRequeue, first.RequeueAfter);
        _time.Advance(TimeSpan.FromSeconds(4));
        await h.ReconcileAsync("demo");
        Assert.Equal(before.Version, (await RingAsync(h)).Ring.Version);

        _time.Advance(TimeSpan.FromSeconds(1));
        await h.ReconcileAsync("demo");

        // The pod never stopped being Ready: only the probe said it failed.
        Assert.True(Conditions.IsTrue((await h.GetAsync<Pod>("demo-default-0"))!.Status!.Conditions, "Ready"));
        var (ring, members) = await RingAsync(h);
        Assert.Equal(before.Version + 1, ring.Version);
        var pool = members.Find("default")!.Members;
        Assert.Equal((MemberRole.Standby, null, true), (pool[0].Role, pool[0].Shard, pool[0].ToEmpty));
        Assert.Equal((MemberRole.Primary, "shard-0"), (pool[2].Role, pool[2].Shard));
        Assert.Equal("10.1.0.3", ring.FindPool("default")!.Shards.Single(s => s.Id == "shard-0").Primary.Host);
        var events = (await h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items;
        var started = Assert.Single(events, e => e.Reason == "FailoverStarted");
        Assert.Contains("failed the operator's /healthz probe for 5.0s though its pod is Ready (signal: operator probe)", started.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeThatRecoversBeforeThreshold_MovesNothing_AndItsFailureIsForgotten()
    {
        var h = await RunningAsync();
        var (before, _) = await RingAsync(h);

        h.ReplicaNodes.Frozen["10.1.0.1"] = true;
        await h.ReconcileAsync("demo");
        _time.Advance(TimeSpan.FromSeconds(4));
        await h.ReconcileAsync("demo");
        h.ReplicaNodes.Frozen.TryRemove("10.1.0.1", out _);
        await h.ReconcileAsync("demo");

        // Failing again counts from the new failure, not the first: 4 s + 4 s is no 5 s in a row.
        h.ReplicaNodes.Frozen["10.1.0.1"] = true;
        await h.ReconcileAsync("demo");
        _time.Advance(TimeSpan.FromSeconds(4));
        await h.ReconcileAsync("demo");

        var (ring, members) = await RingAsync(h);
        Assert.Equal(before.Version, ring.Version);
        Assert.Equal((MemberRole.Primary, "shard-0"), (members.Find("default")!.Members[0].Role, members.Find("default")!.Members[0].Shard));
        Assert.DoesNotContain((await h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items, e => e.Reason == "FailoverStarted");
    }

    [Fact]
    public async Task OperatorCutOffFromMostNodes_SuspendsFailover_ThoughEveryPodIsReady()
    {
        var h = await RunningAsync();
        var (before, _) = await RingAsync(h);

        // A partition between the operator and the nodes: the primaries and the standby stop answering it alike.
        foreach (string ip in new[] { "10.1.0.1", "10.1.0.2", "10.1.0.3" })
            h.ReplicaNodes.Frozen[ip] = true;
        await h.ReconcileAsync("demo");
        _time.Advance(TimeSpan.FromSeconds(10));
        var outcome = await h.ReconcileAsync("demo");

        Assert.Equal(before.Version, (await RingAsync(h)).Ring.Version);
        var status = (await h.ClusterAsync("demo")).Status!;
        var degraded = Conditions.Find(status.Conditions, ConditionTypes.Degraded)!;
        Assert.Equal(("True", FailoverCoordinator.ReasonSuspended), (degraded.Status, degraded.Reason));
        Assert.Contains("only 0 of 3 pods are ready and answer the operator's probe", degraded.Message, StringComparison.Ordinal);
        Assert.Equal(FailoverCoordinator.WatchRequeue, outcome.RequeueAfter);
    }

    [Fact]
    public async Task HealthyCluster_ProbesEveryNode_AndIsLookedAtAgainWithinTheProbeInterval()
    {
        var h = await RunningAsync();
        h.ReplicaNodes.Probes.Clear();

        var outcome = await h.ReconcileAsync("demo");

        Assert.Equal(FailoverCoordinator.ProbeInterval, outcome.RequeueAfter);
        Assert.Equal(["10.1.0.1", "10.1.0.2", "10.1.0.3"], h.ReplicaNodes.Probes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FailoverDisabled_ProbesNothing_AndNeedsNoRequeue()
    {
        var h = await RunningAsync("""{"shards":2,"standbys":1,"memory":"64Mi","failover":{"enabled":false}}""");
        h.ReplicaNodes.Probes.Clear();

        var outcome = await h.ReconcileAsync("demo");

        Assert.Null(outcome.RequeueAfter);
        Assert.Empty(h.ReplicaNodes.Probes);
        Assert.Equal(CacheClusterReconciler.ReplicaWatchRequeue, FailoverCoordinator.ProbeInterval);
    }
}
