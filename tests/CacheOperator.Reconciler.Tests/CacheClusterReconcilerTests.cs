using System.Text;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Kubernetes.Models.Networking;
using CacheOperator.Kubernetes.Models.Policy;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Tests;

/// <summary>The reconcile loop against the in-memory API: the state of the world after each step.</summary>
public class CacheClusterReconcilerTests
{
    private const string Demo = """{"shards":2,"memory":"64Mi"}""";

    private static async Task<ReconcileHarness> ConvergedDemoAsync()
    {
        var h = new ReconcileHarness();
        await h.CreateAsync("demo", Demo);
        await h.ReconcileAsync("demo");
        await h.RunPodsAsync("demo-default", "10.1.0");
        await h.RunRouterPodsAsync("demo-router", "10.2.0");
        await h.ConvergeAsync("demo");
        return h;
    }

    [Fact]
    public async Task FirstReconcile_CreatesEveryObject_OwnedByTheCluster()
    {
        var h = new ReconcileHarness();
        var cluster = await h.CreateAsync("demo", Demo);

        var outcome = await h.ReconcileAsync("demo");

        KubernetesObject?[] owned =
        [
            await h.GetAsync<Secret>("demo-token"),
            await h.GetAsync<ConfigMap>("demo-ring"),
            await h.GetAsync<Service>("demo-nodes"),
            await h.GetAsync<StatefulSet>("demo-default"),
            await h.GetAsync<PodDisruptionBudget>("demo-default"),
            await h.GetAsync<Deployment>("demo-router"),
            await h.GetAsync<Service>("demo"),
            await h.GetAsync<NetworkPolicy>("demo-nodes"),
            await h.GetAsync<NetworkPolicy>("demo-router"),
        ];
        Assert.All(owned, o =>
        {
            Assert.NotNull(o);
            var owner = Assert.Single(o.Metadata.OwnerReferences!);
            Assert.Equal((cluster.Metadata.Uid, "CacheCluster", true, true), (owner.Uid, owner.Kind, owner.Controller, owner.BlockOwnerDeletion));
        });
        Assert.Equal(2, (await h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        Assert.Equal(CacheClusterReconciler.NotReadyRequeue, outcome.RequeueAfter);
    }

    [Fact]
    public async Task FirstReconcile_PublishesRingVersion1_AndStatusSaysCreating()
    {
        var h = new ReconcileHarness();
        await h.CreateAsync("demo", Demo);

        await h.ReconcileAsync("demo");

        var ring = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]);
        Assert.Equal(1, ring.Version);
        Assert.Equal(2, ring.Default.Shards.Count);
        var status = (await h.ClusterAsync("demo")).Status!;
        Assert.Equal((1L, ClusterPhases.Creating, "0/2", 1L), (status.ObservedGeneration, status.Phase, status.ReadyText, status.RingVersion));
        Assert.Equal("False", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Status);
        Assert.Equal("True", Conditions.Find(status.Conditions, ConditionTypes.Progressing)!.Status);
        Assert.Contains((await h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items, e => e.Reason == "RingPublished");
    }

    [Fact]
    public async Task Convergence_AllPodsReadyAndRoutersServing_IsReady_AndIsLookedAtAgainOnlyToProbeTheNodes()
    {
        var h = await ConvergedDemoAsync();

        var outcome = await h.ReconcileAsync("demo");

        // Nothing to wait for; the only requeue is failover's steady probe of the nodes (ProbeFailoverReconcileTests).
        var status = (await h.ClusterAsync("demo")).Status!;
        Assert.Equal(CacheOperator.Reconciler.Orchestration.FailoverCoordinator.ProbeInterval, outcome.RequeueAfter);
        Assert.Equal((ClusterPhases.Running, "2/2", 2, 2), (status.Phase, status.ReadyText, status.ReadyMembers, status.ReadyShards));
        Assert.Equal("True", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Status);
        Assert.Equal("False", Conditions.Find(status.Conditions, ConditionTypes.Degraded)!.Status);
        Assert.Equal(status.RingVersion, status.Routers!.RingVersion);
        Assert.Equal(
            [("demo-default-0", "primary", "shard-0", true), ("demo-default-1", "primary", "shard-1", true)],
            status.Members.Select(m => (m.Name, m.Role, m.Shard, m.Ready)));
        Assert.Equal("app.kubernetes.io/component=node,app.kubernetes.io/instance=demo,app.kubernetes.io/name=cache-node,cacheoperator.io/pool=default", status.Selector);
    }

    [Fact]
    public async Task ConvergedCluster_Reconcile_MakesNoWrites()
    {
        var h = await ConvergedDemoAsync();
        h.Api.ClearRequests();

        await h.ReconcileAsync("demo");
        await h.ReconcileAsync("demo");

        Assert.Empty(h.Writes());
    }

    [Fact]
    public async Task CreatingCluster_SecondReconcileWithoutChanges_MakesNoWrites()
    {
        var h = new ReconcileHarness();
        await h.CreateAsync("demo", Demo);
        await h.ReconcileAsync("demo");
        h.Api.ClearRequests();

        await h.ReconcileAsync("demo");

        Assert.Empty(h.Writes());
    }

    [Fact]
    public async Task Token_IsGeneratedOnce_AndStableAcrossReconcilesAndSpecChanges()
    {
        var h = new ReconcileHarness();
        await h.CreateAsync("demo", Demo);
        await h.ReconcileAsync("demo");
        string token = Encoding.UTF8.GetString((await h.GetAsync<Secret>("demo-token"))!.Data!["token"]);

        var cluster = await h.ClusterAsync("demo");
        cluster.Spec.Image = "example.test/cache-node:2";
        await h.Api.ReplaceAsync(cluster);
        await h.ReconcileAsync("demo");
        await h.ReconcileAsync("demo");

        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.Equal(token, Encoding.UTF8.GetString((await h.GetAsync<Secret>("demo-token"))!.Data!["token"]));
    }

    [Fact]
    public async Task ImageChange_RollsTheStatefulSetTemplate_WithOneWriteEach()
    {
        var h = await ConvergedDemoAsync();
        var cluster = await h.ClusterAsync("demo");
        cluster.Spec.Image = "example.test/cache-node:2";
        await h.Api.ReplaceAsync(cluster);
        h.Api.ClearRequests();

        await h.ReconcileAsync("demo");

        Assert.Equal("example.test/cache-node:2", (await h.GetAsync<StatefulSet>("demo-default"))!.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("example.test/cache-node:2", (await h.GetAsync<Deployment>("demo-router"))!.Spec.Template.Spec.Containers[0].Image);
        var writes = h.Writes().Select(w => (w.Kind, w.Name)).ToList();
        Assert.Contains(("StatefulSet", "demo-default"), writes);
        Assert.Contains(("Deployment", "demo-router"), writes);
        Assert.DoesNotContain(("ConfigMap", "demo-ring"), writes);
        Assert.DoesNotContain(("Secret", "demo-token"), writes);
    }

    [Fact]
    public async Task RouterPollTimeChange_RollsTheRouterDeploymentOnly_AndClearingItRollsThemBack()
    {
        var h = await ConvergedDemoAsync();
        var cluster = await h.ClusterAsync("demo");
        cluster.Spec.Router.PollMicroseconds = 30;
        await h.Api.ReplaceAsync(cluster);
        h.Api.ClearRequests();

        await h.ReconcileAsync("demo");

        var env = (await h.GetAsync<Deployment>("demo-router"))!.Spec.Template.Spec.Containers[0].Env!;
        Assert.Equal("30", Assert.Single(env, e => e.Name == "CACHE_NODE_POLL_US").Value);
        var writes = h.Writes().Where(w => w.Kind != "CacheCluster").Select(w => (w.Kind, w.Name)).ToList();
        Assert.Equal([("Deployment", "demo-router")], writes);

        cluster = await h.ClusterAsync("demo");
        cluster.Spec.Router.PollMicroseconds = 0;
        await h.Api.ReplaceAsync(cluster);
        h.Api.ClearRequests();

        await h.ReconcileAsync("demo");

        env = (await h.GetAsync<Deployment>("demo-router"))!.Spec.Template.Spec.Containers[0].Env!;
        Assert.DoesNotContain(env, e => e.Name == "CACHE_NODE_POLL_US");
        Assert.Contains(("Deployment", "demo-router"), h.Writes().Select(w => (w.Kind, w.Name)));
    }

    [Fact]
    public async Task InvalidSpec_SetsStatusAndEvent_AndCreatesNothing()
    {
        var h = new ReconcileHarness();
        await h.CreateAsync("bad", """{"shards":0,"memory":"64Mi"}""");

        var outcome = await h.ReconcileAsync("bad");

        var status = (await h.ClusterAsync("bad")).Status!;
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("False", StatusBuilder.ReasonInvalidSpec), (ready.Status, ready.Reason));
        Assert.Contains("spec.shards", ready.Message, StringComparison.Ordinal);
        Assert.Equal("True", Conditions.Find(status.Conditions, ConditionTypes.Degraded)!.Status);
        Assert.Null(outcome.RequeueAfter);
        Assert.All(h.Writes(), w => Assert.True(w.Kind is "CacheCluster" or "Event", $"unexpected write {w}"));
        Assert.Null(await h.GetAsync<ConfigMap>("bad-ring"));
        Assert.Contains((await h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items, e => e.Reason == StatusBuilder.ReasonInvalidSpec && e.Type == "Warning");

        h.Api.ClearRequests();
        await h.ReconcileAsync("bad");
        Assert.Empty(h.Writes());
    }

    [Fact]
    public async Task ShardIncrease_AfterTheRingExists_StartsScaleOut_AndTheRingWaitsForTheWarmUp()
    {
        var h = await ConvergedDemoAsync();
        string ringBefore = (await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"];
        var cluster = await h.ClusterAsync("demo");
        cluster.Spec.Shards = 3;
        await h.Api.ReplaceAsync(cluster);

        await h.ReconcileAsync("demo");

        var status = (await h.ClusterAsync("demo")).Status!;
        var progressing = Conditions.Find(status.Conditions, ConditionTypes.Progressing)!;
        Assert.Equal(("True", "ScalingOut"), (progressing.Status, progressing.Reason));
        Assert.Equal(ClusterPhases.Scaling, status.Phase);
        Assert.Equal(3, (await h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        Assert.Equal(ringBefore, (await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]);
        Assert.Equal((await h.ClusterAsync("demo")).Metadata.Generation, status.ObservedGeneration);
        Assert.Equal(2, status.Shards);
    }

    [Fact]
    public async Task PodIPChange_PublishesANewRingVersion_AndPushesItToTheRouters()
    {
        var h = await ConvergedDemoAsync();
        long before = (await h.ClusterAsync("demo")).Status!.RingVersion;
        var pod = (await h.GetAsync<Pod>("demo-default-1"))!;

        await h.RunPodAsync("demo-default-1", pod.Metadata.Labels!, "10.9.9.9", ready: true);
        await h.ReconcileAsync("demo");

        var ring = RingDocument.Parse((await h.GetAsync<ConfigMap>("demo-ring"))!.Data!["ring.json"]);
        Assert.Equal(before + 1, ring.Version);
        Assert.Equal("10.9.9.9:11211", ring.Default.Shards[1].Primary.ToString());
        Assert.All(["10.2.0.1", "10.2.0.2"], ip => Assert.Equal(ring.Version, h.Routers.Served[ip]));
        Assert.Equal(ring.Version, (await h.ClusterAsync("demo")).Status!.RingVersion);
    }

    [Fact]
    public async Task RouterThatCannotBeReached_KeepsTheClusterNotReady_AndIsRetried()
    {
        var h = new ReconcileHarness();
        await h.CreateAsync("demo", Demo);
        await h.ReconcileAsync("demo");
        await h.RunPodsAsync("demo-default", "10.1.0");
        await h.RunRouterPodsAsync("demo-router", "10.2.0");
        h.Routers.Down["10.2.0.2"] = true;

        var outcome = await h.ReconcileAsync("demo");

        var ready = Conditions.Find((await h.ClusterAsync("demo")).Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("False", "RoutersNotReady"), (ready.Status, ready.Reason));
        Assert.Equal(CacheClusterReconciler.NotReadyRequeue, outcome.RequeueAfter);

        h.Routers.Down.Clear();
        await h.ReconcileAsync("demo");
        Assert.True(Conditions.IsTrue((await h.ClusterAsync("demo")).Status!.Conditions, ConditionTypes.Ready));
    }

    [Fact]
    public async Task PushedRings_CarryTheClusterToken()
    {
        var h = await ConvergedDemoAsync();
        string token = Encoding.UTF8.GetString((await h.GetAsync<Secret>("demo-token"))!.Data!["token"]);

        Assert.NotEmpty(h.Routers.Pushes);
        Assert.All(h.Routers.Pushes, p => Assert.Equal(token, p.Token));
    }

    [Fact]
    public async Task PrimaryLost_AfterRunning_IsDegraded()
    {
        var h = await ConvergedDemoAsync();
        var pod = (await h.GetAsync<Pod>("demo-default-0"))!;

        await h.RunPodAsync("demo-default-0", pod.Metadata.Labels!, "10.1.0.1", ready: false);
        await h.ReconcileAsync("demo");

        var status = (await h.ClusterAsync("demo")).Status!;
        Assert.Equal((ClusterPhases.Degraded, 1), (status.Phase, status.ReadyShards));
        var degraded = Conditions.Find(status.Conditions, ConditionTypes.Degraded)!;
        Assert.Equal(("True", "ShardsUnavailable"), (degraded.Status, degraded.Reason));
    }

    [Fact]
    public async Task DeletedCluster_IsGarbageCollected_AndReconcileDoesNothing()
    {
        var h = await ConvergedDemoAsync();

        await h.Api.DeleteAsync<CacheCluster>(ReconcileHarness.Ns, "demo");
        h.Api.ClearRequests();
        var outcome = await h.ReconcileAsync("demo");

        Assert.Null(outcome.RequeueAfter);
        Assert.Empty(h.Writes());
        Assert.Null(await h.GetAsync<StatefulSet>("demo-default"));
        Assert.Null(await h.GetAsync<ConfigMap>("demo-ring"));
        Assert.Null(await h.GetAsync<Secret>("demo-token"));
    }

    [Fact]
    public async Task NetworkPolicyDisabled_CreatesNone()
    {
        var h = new ReconcileHarness();
        await h.CreateAsync("open", """{"shards":1,"memory":"64Mi","security":{"networkPolicy":{"enabled":false}}}""");

        await h.ReconcileAsync("open");

        Assert.Empty((await h.Api.ListAsync<NetworkPolicy>(ReconcileHarness.Ns)).Items);
        Assert.NotNull(await h.GetAsync<StatefulSet>("open-default"));
    }

    [Fact]
    public async Task ExistingToken_IsKept_WhenTheClusterIsFirstReconciled()
    {
        var h = new ReconcileHarness();
        var cluster = await h.CreateAsync("demo", Demo);
        await h.Api.CreateAsync(new Secret
        {
            Metadata = new ObjectMeta { Name = "demo-token", Namespace = ReconcileHarness.Ns },
            Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("kept-token") },
        });

        await h.ReconcileAsync("demo");

        Assert.Equal("kept-token", Encoding.UTF8.GetString((await h.GetAsync<Secret>("demo-token"))!.Data!["token"]));
        Assert.Equal(cluster.Metadata.Uid, Assert.Single((await h.GetAsync<Secret>("demo-token"))!.Metadata.OwnerReferences!).Uid);
    }

    [Fact]
    public async Task Metrics_CountRingPublishesAndManagedClusters()
    {
        var h = await ConvergedDemoAsync();

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        h.Metrics.WriteTo(buffer);
        string metrics = Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.Contains("cacheoperator_managed_clusters 1", metrics, StringComparison.Ordinal);
        Assert.Matches(@"cacheoperator_ring_publish_total [1-9]", metrics);
        Assert.Contains("cacheoperator_ring_push_total{result=\"ok\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullExample_ConvergesWithEveryPoolAndTheGutter()
    {
        var h = new ReconcileHarness();
        var full = TestClusters.Example("cachecluster-full.yaml");
        full.Metadata = new ObjectMeta { Name = "sessions", Namespace = ReconcileHarness.Ns };
        await h.Api.CreateAsync(full);
        await h.ReconcileAsync("sessions");

        var replicas = new List<int?>();
        foreach (string pool in new[] { "default", "carts", "popular", "gutter" })
            replicas.Add((await h.GetAsync<StatefulSet>($"sessions-{pool}"))!.Spec.Replicas);
        Assert.Equal([7, 6, 4, 1], replicas);
        await h.RunPodsAsync("sessions-default", "10.1.0");
        await h.RunPodsAsync("sessions-carts", "10.1.1");
        await h.RunPodsAsync("sessions-popular", "10.1.2");
        await h.RunPodsAsync("sessions-gutter", "10.1.3");
        await h.RunRouterPodsAsync("sessions-router", "10.2.0");
        await h.ConvergeAsync("sessions");

        var status = (await h.ClusterAsync("sessions")).Status!;
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.Equal(("17/17", 9), (status.ReadyText, status.ReadyShards));
        var ring = RingDocument.Parse((await h.GetAsync<ConfigMap>("sessions-ring"))!.Data!["ring.json"]);
        Assert.Equal(["default", "carts", "popular"], ring.Pools.Select(p => p.Name));
        Assert.Equal(["popular:", "trending:"], ring.FindPool("popular")!.Prefixes);
        Assert.Equal("10.1.3.1:11211", Assert.Single(ring.Gutter!.Nodes).ToString());
        Assert.Equal("10.1.0.7:11211", Assert.Single(ring.Standbys).ToString());
        Assert.Equal(ReplicaReadPolicy.LeastOutstanding, ring.Router.ReplicaReads);
        Assert.Equal(2, ring.FindPool("carts")!.Shards[0].Replicas.Count);
    }

    [Fact]
    public async Task PoolAdded_AfterTheRingExists_CreatesNoStatefulSet_AndIsPending()
    {
        var h = await ConvergedDemoAsync();
        var cluster = await h.ClusterAsync("demo");
        cluster.Spec.Pools.Add(new PoolSpec { Name = "hot", Prefixes = ["hot:"], Shards = 1 });
        await h.Api.ReplaceAsync(cluster);

        await h.ReconcileAsync("demo");

        Assert.Null(await h.GetAsync<StatefulSet>("demo-hot"));
        var status = (await h.ClusterAsync("demo")).Status!;
        Assert.Equal("pool hot added: adding pools to a running cluster is not supported yet", status.Message);
        Assert.Equal("TopologyChangePending", Conditions.Find(status.Conditions, ConditionTypes.Progressing)!.Reason);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
    }
}
