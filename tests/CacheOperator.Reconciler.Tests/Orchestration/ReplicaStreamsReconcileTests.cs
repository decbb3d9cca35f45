using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>Replicas stream from their shard's current primary, driven by the reconcile loop over in-memory nodes.</summary>
public sealed class ReplicaStreamsReconcileTests
{
    // Ordinals: 0 primary, 1 and 2 replicas of shard-0; 3 standby. Pod i has IP 10.1.0.(i+1).
    private const string ThreeCopies = """{"shards":1,"replicasPerShard":3,"standbys":1,"memory":"64Mi","failover":{"notReadyThresholdSeconds":5}}""";
    internal const string TwoCopies = """{"shards":1,"replicasPerShard":2,"standbys":1,"memory":"64Mi","failover":{"notReadyThresholdSeconds":5}}""";

    internal static async Task<ReconcileHarness> RunningAsync(string spec)
    {
        var h = new ReconcileHarness();
        h.Reconciler.Failover.Nodes = h.ReplicaNodes;
        await h.CreateAsync("demo", spec);
        await h.ReconcileAsync("demo");
        await h.RunPodsAsync("demo-default", "10.1.0");
        await h.RunRouterPodsAsync("demo-router", "10.2.0");
        await h.ConvergeAsync("demo");
        Assert.Equal(ClusterPhases.Running, (await h.ClusterAsync("demo")).Status!.Phase);
        return h;
    }

    private static async Task<MemberAssignment> MembersAsync(ReconcileHarness h) =>
        MemberAssignment.TryParse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["members.json"])!;

    private static async Task<IReadOnlyList<Event>> EventsAsync(ReconcileHarness h) => [.. (await h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items];

    private static async Task NotReadyForAsync(ReconcileHarness h, string pod, TimeSpan age)
    {
        var current = (await h.GetAsync<Pod>(pod))!;
        current.Status!.Conditions = [new Condition { Type = "Ready", Status = "False", LastTransitionTime = DateTimeOffset.UtcNow - age }];
        await h.Api.ReplaceStatusAsync(current);
    }

    [Fact]
    public async Task EveryReadyReplica_StreamsEveryBucketFromItsPrimary_Once_AndStatusShowsItsPhaseAndLag()
    {
        var h = await RunningAsync(ThreeCopies);
        var nodes = h.ReplicaNodes;

        var one = Assert.Single(nodes.On("10.1.0.2"));
        var two = Assert.Single(nodes.On("10.1.0.3"));
        Assert.Equal(("10.1.0.1", "10.1.0.1"), (one.SourceIP, two.SourceIP));
        Assert.Empty(nodes.On("10.1.0.1"));
        Assert.Empty(nodes.On("10.1.0.4"));
        Assert.Equal(2, nodes.Starts.Count);
        Assert.Equal(2, (await EventsAsync(h)).Count(e => e.Reason == "ReplicaStreamStarted"));

        // Repeated reconciles adopt the pulls: nothing started or stopped again.
        for (int i = 0; i < 3; i++)
            await h.ReconcileAsync("demo");
        Assert.Equal(2, nodes.Starts.Count);
        Assert.Empty(nodes.Stops);

        nodes.Set("10.1.0.3", "CatchUp", lag: 1234);
        var outcome = await h.ReconcileAsync("demo");
        var members = (await h.ClusterAsync("demo")).Status!.Members!;
        Assert.Equal(("Tailing", 0L), (members[1].Replication, members[1].ReplicationLag));
        Assert.Equal(("CatchUp", 1234L), (members[2].Replication, members[2].ReplicationLag));
        Assert.Null(members[0].Replication);
        Assert.Null(members[3].Replication);
        Assert.Equal(CacheClusterReconciler.ReplicaCatchUpRequeue, outcome.RequeueAfter);

        nodes.Set("10.1.0.3", "Tailing");
        Assert.Equal(CacheClusterReconciler.ReplicaWatchRequeue, (await h.ReconcileAsync("demo")).RequeueAfter);
    }

    [Fact]
    public async Task ReplicaNotReady_Waits_ThenStreamsOnceReady()
    {
        var h = new ReconcileHarness();
        await h.CreateAsync("demo", TwoCopies);
        await h.ReconcileAsync("demo");
        await h.RunPodsAsync("demo-default", "10.1.0");
        var labels = (await h.GetAsync<Pod>("demo-default-1"))!.Metadata.Labels!;
        await h.RunPodAsync("demo-default-1", labels, null, ready: false);
        await h.RunRouterPodsAsync("demo-router", "10.2.0");
        await h.ConvergeAsync("demo");

        Assert.Empty(h.ReplicaNodes.Starts);
        Assert.Equal(ReplicaPhases.WaitingForPod, (await h.ClusterAsync("demo")).Status!.Members![1].Replication);

        await h.RunPodAsync("demo-default-1", labels, "10.1.0.2", ready: true);
        await h.ReconcileAsync("demo");
        Assert.Equal([("10.1.0.2", "10.1.0.1")], h.ReplicaNodes.Starts);
    }

    private static async Task<IReadOnlyList<string>> ReadCopiesAsync(ReconcileHarness h) =>
        [.. RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]).Default.Shards.SelectMany(s => s.Replicas).Select(a => a.Host)];

    /// <summary>
    /// A new pull drops the replica's copy, so the reconcile that would replace it leaves it out of the ring and
    /// touches nothing; the copy is replaced by a later reconcile, once every router serves that ring.
    /// </summary>
    internal static async Task AssertLeftOutOfTheRingFirst(ReconcileHarness h, string pod, string replicaIP, ReplicaPull old)
    {
        Assert.Empty(h.ReplicaNodes.Stops);
        Assert.Equal(old.Id, Assert.Single(h.ReplicaNodes.On(replicaIP)).Id);
        Assert.DoesNotContain(replicaIP, await ReadCopiesAsync(h));
        Assert.Equal(ReplicaPhases.WaitingForRouters, (await h.ClusterAsync("demo")).Status!.Members!.Single(m => m.Name == pod).Replication);
        await h.ReconcileAsync("demo");
    }

    [Fact]
    public async Task PrimaryAtANewAddress_ReplicaLeavesTheRingFirst_ThenIsRepointed_OldPullStoppedFirst()
    {
        var h = await RunningAsync(TwoCopies);
        var old = Assert.Single(h.ReplicaNodes.On("10.1.0.2"));
        Assert.Equal(["10.1.0.2"], await ReadCopiesAsync(h));

        // The primary's pod came back with another IP (and Ready) before any failover threshold.
        await h.RunPodAsync("demo-default-0", (await h.GetAsync<Pod>("demo-default-0"))!.Metadata.Labels!, "10.1.0.9", ready: true);
        await h.ReconcileAsync("demo");
        await AssertLeftOutOfTheRingFirst(h, "demo-default-1", "10.1.0.2", old);

        Assert.Equal([("10.1.0.2", old.Id)], h.ReplicaNodes.Stops);
        Assert.Equal("10.1.0.9", Assert.Single(h.ReplicaNodes.On("10.1.0.2")).SourceIP);
        Assert.Contains(await EventsAsync(h), e => e.Reason == "ReplicaRepointed" && e.Message!.Contains("10.1.0.9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouterNotYetServingTheRingWithoutTheReplica_ItsCopyIsKept_UntilItDoes()
    {
        var h = await RunningAsync(TwoCopies);
        var old = Assert.Single(h.ReplicaNodes.On("10.1.0.2"));
        var router = (await h.Api.ListAsync<Pod>(ReconcileHarness.Ns)).Items.First(p => p.Metadata.Name!.StartsWith("demo-router-", StringComparison.Ordinal));
        string routerIP = router.Status!.PodIP!;

        // A router's admin port stops answering: it may still serve the ring that lists the replica for reads.
        h.Routers.Down[routerIP] = true;
        await h.RunPodAsync("demo-default-0", (await h.GetAsync<Pod>("demo-default-0"))!.Metadata.Labels!, "10.1.0.9", ready: true);
        for (int i = 0; i < 3; i++)
            await h.ReconcileAsync("demo");

        Assert.Empty(h.ReplicaNodes.Stops);
        Assert.Equal(old.Id, Assert.Single(h.ReplicaNodes.On("10.1.0.2")).Id);
        Assert.Equal(ReplicaPhases.WaitingForRouters, (await h.ClusterAsync("demo")).Status!.Members![1].Replication);

        // It answers again: it is brought to the ring without the replica, and only then is the copy replaced.
        h.Routers.Down.TryRemove(routerIP, out _);
        await h.ReconcileAsync("demo");
        Assert.Empty(h.ReplicaNodes.Stops);
        await h.ReconcileAsync("demo");
        Assert.Equal([("10.1.0.2", old.Id)], h.ReplicaNodes.Stops);
        Assert.Equal("10.1.0.9", Assert.Single(h.ReplicaNodes.On("10.1.0.2")).SourceIP);
    }

    // A Held stream is started over only after a grace (HeldReplicaStreamTests): it may hold the shard's only copy.
    [Theory]
    [InlineData("Stopped")]
    public async Task BrokenStream_FromAReadyPrimary_IsStartedOver(string phase)
    {
        var h = await RunningAsync(TwoCopies);
        var old = Assert.Single(h.ReplicaNodes.On("10.1.0.2"));
        h.ReplicaNodes.Set("10.1.0.2", phase, lag: 3, error: "source closed the stream");

        await h.ReconcileAsync("demo");
        await AssertLeftOutOfTheRingFirst(h, "demo-default-1", "10.1.0.2", old);

        Assert.Equal([("10.1.0.2", old.Id)], h.ReplicaNodes.Stops);
        var fresh = Assert.Single(h.ReplicaNodes.On("10.1.0.2"));
        Assert.NotEqual(old.Id, fresh.Id);
        Assert.Contains(await EventsAsync(h), e => e.Reason == "ReplicaStreamRestarted" && e.Type == EventRecorder.Warning);
    }

    [Fact]
    public async Task PrimaryNotReady_ReplicaKeepsItsHeldStream_NothingStoppedOrStarted()
    {
        var h = await RunningAsync(TwoCopies);
        await NotReadyForAsync(h, "demo-default-0", TimeSpan.FromSeconds(1));
        h.ReplicaNodes.Set("10.1.0.2", "Held", lag: 2);
        int starts = h.ReplicaNodes.Starts.Count;

        await h.ReconcileAsync("demo");

        Assert.Empty(h.ReplicaNodes.Stops);
        Assert.Equal(starts, h.ReplicaNodes.Starts.Count);
        var replica = (await h.ClusterAsync("demo")).Status!.Members![1];
        Assert.Equal(("Held", 2L), (replica.Replication, replica.ReplicationLag));
    }

    [Fact]
    public async Task Failover_PromotesTheLeastBehindReplica_AndTheOtherIsRepointedToIt()
    {
        var h = await RunningAsync(ThreeCopies);
        h.ReplicaNodes.Set("10.1.0.2", "Tailing", lag: 40);
        h.ReplicaNodes.Set("10.1.0.3", "Held", lag: 2);

        await NotReadyForAsync(h, "demo-default-0", TimeSpan.FromSeconds(10));
        await h.ReconcileAsync("demo");

        Assert.Equal(["10.1.0.3"], h.ReplicaNodes.Promoted);
        var pool = (await MembersAsync(h)).Find("default")!.Members;
        Assert.Equal((MemberRole.Primary, "shard-0"), (pool[2].Role, pool[2].Shard));
        Assert.Equal((MemberRole.Standby, true), (pool[0].Role, pool[0].ToEmpty));

        // The other replica is to stream from the new primary, which copies the shard afresh: it leaves the ring
        // first, keeping its copy while routers may read it; then its pull from the failed one is stopped and the
        // new one started. The ring leaves it out for reads until its new stream tails.
        var old = Assert.Single(h.ReplicaNodes.On("10.1.0.2"));
        Assert.Equal("10.1.0.1", old.SourceIP);
        await AssertLeftOutOfTheRingFirst(h, "demo-default-1", "10.1.0.2", old);
        Assert.Equal("10.1.0.3", Assert.Single(h.ReplicaNodes.On("10.1.0.2")).SourceIP);
        Assert.Contains(await EventsAsync(h), e => e.Reason == "ReplicaRepointed");
        Assert.Empty(h.ReplicaNodes.On("10.1.0.3"));
        var shard = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]).Default.Shards.Single();
        Assert.Equal("10.1.0.3", shard.Primary.Host);
        Assert.Empty(shard.Replicas);

        await h.ReconcileAsync("demo");
        shard = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]).Default.Shards.Single();
        Assert.Equal("10.1.0.2", shard.Replicas.Single().Host);
    }

    [Fact]
    public async Task Failover_WithOnlyAReplicaStillCopying_HandsTheShardToTheStandby()
    {
        var h = await RunningAsync(TwoCopies);
        h.ReplicaNodes.Set("10.1.0.2", "Snapshot", lag: 0);

        await NotReadyForAsync(h, "demo-default-0", TimeSpan.FromSeconds(10));
        await h.ReconcileAsync("demo");

        Assert.Empty(h.ReplicaNodes.Promoted);
        var pool = (await MembersAsync(h)).Find("default")!.Members;
        Assert.Equal((MemberRole.Primary, "shard-0"), (pool[2].Role, pool[2].Shard));
        Assert.Equal(MemberRole.Replica, pool[1].Role);
    }

    [Fact]
    public async Task PrimaryProcessRestarted_AfterItsReplicaCopiedIt_ReplicaTakesOverAtOnce_AndTheRestartedPodBecomesItsReplica()
    {
        var h = await RunningAsync(TwoCopies);
        var pull = Assert.Single(h.ReplicaNodes.On("10.1.0.2"));
        h.ReplicaNodes.Set("10.1.0.2", "Held", lag: 0, error: "source closed the stream");

        // The kubelet restarted the primary's container (same pod, same IP) and it is already Ready again, empty.
        var primary = (await h.GetAsync<Pod>("demo-default-0"))!;
        primary.Status!.ContainerStatuses =
        [
            new ContainerStatus
            {
                Name = NodeStatefulSetBuilder.ContainerName,
                Ready = true,
                RestartCount = 1,
                State = new ContainerState { Running = new ContainerStateRunning { StartedAt = pull.StartedAt!.Value.AddSeconds(3) } },
            },
        ];
        await h.Api.ReplaceStatusAsync(primary);
        await h.ReconcileAsync("demo");

        Assert.Equal(["10.1.0.2"], h.ReplicaNodes.Promoted);
        var pool = (await MembersAsync(h)).Find("default")!.Members;
        Assert.Equal((MemberRole.Replica, "shard-0", (bool?)null), (pool[0].Role, pool[0].Shard, pool[0].ToEmpty));
        Assert.Equal((MemberRole.Primary, "shard-0"), (pool[1].Role, pool[1].Shard));
        var shard = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]).Default.Shards.Single();
        Assert.Equal("10.1.0.2", shard.Primary.Host);
        Assert.Contains(await EventsAsync(h), e => e.Reason == "FailoverStarted" && e.Message!.Contains("restarted empty", StringComparison.Ordinal));

        // The restarted pod copies the shard back from the new primary once no router serves the ring that named it
        // primary (a primary demoted alive would hold the shard: a pull is never started while it is listed), and
        // serves reads only once it tails.
        Assert.Empty(h.ReplicaNodes.On("10.1.0.1"));
        Assert.Equal(ReplicaPhases.WaitingForRouters, (await h.ClusterAsync("demo")).Status!.Members![0].Replication);
        Assert.Empty(shard.Replicas);
        await h.ReconcileAsync("demo");
        Assert.Equal("10.1.0.2", Assert.Single(h.ReplicaNodes.On("10.1.0.1")).SourceIP);
        await h.ReconcileAsync("demo");
        shard = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]).Default.Shards.Single();
        Assert.Equal("10.1.0.1", shard.Replicas.Single().Host);

        // Nothing else moves.
        await h.ReconcileAsync("demo");
        Assert.Single(h.ReplicaNodes.Promoted);
        Assert.Equal(MemberRole.Primary, (await MembersAsync(h)).Find("default")!.Members[1].Role);
    }

    [Fact]
    public async Task RecoveredStandby_IsEmptied_EvenAfterAnOperatorRestart()
    {
        var h = await RunningAsync("""{"shards":2,"standbys":1,"memory":"64Mi","failover":{"notReadyThresholdSeconds":5}}""");
        await NotReadyForAsync(h, "demo-default-0", TimeSpan.FromSeconds(10));
        await h.ReconcileAsync("demo");
        Assert.True((await MembersAsync(h)).Find("default")!.Members[0].ToEmpty);

        // The operator restarts while the failed pod is still down; the duty is read back from members.json.
        h.RestartOperator();
        await h.ReconcileAsync("demo");
        Assert.Empty(h.ReplicaNodes.Emptied);

        await h.RunPodAsync("demo-default-0", (await h.GetAsync<Pod>("demo-default-0"))!.Metadata.Labels!, "10.1.0.1", ready: true);
        await h.ReconcileAsync("demo");
        Assert.Equal(["10.1.0.1"], h.ReplicaNodes.Emptied);
        var member = (await MembersAsync(h)).Find("default")!.Members[0];
        Assert.Equal((MemberRole.Standby, (bool?)null), (member.Role, member.ToEmpty));

        // Done once.
        await h.ReconcileAsync("demo");
        Assert.Single(h.ReplicaNodes.Emptied);
    }

    [Fact]
    public async Task ReplicaStillCopying_IsLeftOutOfTheRing_UntilItTails()
    {
        var h = await RunningAsync(TwoCopies);
        var ring = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]);
        Assert.Equal("10.1.0.2", ring.Default.Shards.Single().Replicas.Single().Host);

        // The replica's node restarted (empty): its pull is gone. It leaves the ring first (WaitingForRouters), then a
        // new pull starts and copies the shard again.
        h.ReplicaNodes.Pulls["10.1.0.2"].Clear();
        h.ReplicaNodes.NewPullPhase = "Snapshot";
        await h.ReconcileAsync("demo");
        var copying = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]);
        Assert.Equal(ring.Version + 1, copying.Version);
        Assert.Empty(copying.Default.Shards.Single().Replicas);
        Assert.Equal(ReplicaPhases.WaitingForRouters, (await h.ClusterAsync("demo")).Status!.Members![1].Replication);
        Assert.Empty(h.ReplicaNodes.On("10.1.0.2"));
        await h.ReconcileAsync("demo");
        Assert.Equal("Connecting", (await h.ClusterAsync("demo")).Status!.Members![1].Replication);

        await h.ReconcileAsync("demo");
        Assert.Equal(copying.Version, RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]).Version);

        h.ReplicaNodes.Set("10.1.0.2", "Tailing");
        await h.ReconcileAsync("demo");
        var back = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]);
        Assert.Equal(copying.Version + 1, back.Version);
        Assert.Equal("10.1.0.2", back.Default.Shards.Single().Replicas.Single().Host);
    }

    [Fact]
    public async Task MoreReplicasPerShard_GrowsTheStatefulSet_NewReplicasStreamFromTheirPrimary_ThenServeReads()
    {
        var h = await RunningAsync(TwoCopies);
        var ring = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]);
        var cluster = await h.ClusterAsync("demo");
        cluster.Spec.ReplicasPerShard = 3;
        await h.Api.ReplaceAsync(cluster);

        await h.ReconcileAsync("demo");
        Assert.Equal(4, (await h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        var added = (await MembersAsync(h)).Find("default")!.Members[3];
        Assert.Equal(new PoolMember("demo-default-3", 3, MemberRole.Replica, "shard-0"), added);
        Assert.Null((await h.ClusterAsync("demo")).Status!.Message);

        // The new pod starts; its stream starts on the next reconcile, and the ring lists it once it tails.
        h.ReplicaNodes.NewPullPhase = "Snapshot";
        await h.RunPodsAsync("demo-default", "10.1.0");
        await h.ReconcileAsync("demo");
        Assert.Equal("10.1.0.1", Assert.Single(h.ReplicaNodes.On("10.1.0.4")).SourceIP);
        Assert.Single(RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]).Default.Shards.Single().Replicas);

        h.ReplicaNodes.Set("10.1.0.4", "Tailing");
        await h.ReconcileAsync("demo");
        var grown = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]);
        Assert.Equal(["10.1.0.2", "10.1.0.4"], grown.Default.Shards.Single().Replicas.Select(r => r.Host));
        Assert.True(grown.Version > ring.Version);
    }
}
