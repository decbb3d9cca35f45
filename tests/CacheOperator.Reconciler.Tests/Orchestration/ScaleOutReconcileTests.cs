using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Ring;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>Scale-out driven by the reconcile loop over the in-memory API, with fake nodes and routers.</summary>
public sealed class ScaleOutReconcileTests
{
    private const string Demo = """{"shards":2,"memory":"64Mi","router":{"replicas":1}}""";

    private readonly ReconcileHarness _h = new();
    private readonly FakeNodeAdmin _nodes = new();
    private CacheClusterReconciler _reconciler = null!;

    private CacheClusterReconciler NewReconciler()
    {
        var reconciler = new CacheClusterReconciler(
            _h.Api,
            new ClientWorldReader(_h.Api),
            _h.Routers,
            new OperatorSettings { CacheNodeImage = "example.test/cache-node:1" },
            new EventRecorder(_h.Api, TimeProvider.System, "test-operator", NullLogger<EventRecorder>.Instance),
            new ReconcilerMetrics(new CacheOperator.Metrics.MetricsRegistry()),
            TimeProvider.System,
            NullLogger<CacheClusterReconciler>.Instance,
            _nodes);

        // Never the real HTTP client in tests: failover probes and replica streams go to the in-memory nodes.
        reconciler.Failover.Nodes = _h.ReplicaNodes;
        reconciler.Replicas.Nodes = _h.ReplicaNodes;
        return reconciler;
    }

    private async Task<long> ConvergedAsync()
    {
        _reconciler = NewReconciler();
        await _h.CreateAsync("demo", Demo);
        await ReconcileAsync();
        await _h.RunPodsAsync("demo-default", "10.1.0");
        await _h.RunRouterPodsAsync("demo-router", "10.2.0");
        for (int i = 0; i < 5 && (await ReconcileAsync()).RequeueAfter is not null; i++)
        {
        }

        return (await _h.ClusterAsync("demo")).Status!.RingVersion;
    }

    private Task<Controllers.ReconcileResult> ReconcileAsync() => _reconciler.ReconcileAsync(ReconcileHarness.Ns, "demo", CancellationToken.None);

    private async Task ScaleToAsync(int shards)
    {
        var cluster = await _h.ClusterAsync("demo");
        cluster.Spec.Shards = shards;
        await _h.Api.ReplaceAsync(cluster);
    }

    private async Task<ScaleOperation?> OperationAsync() =>
        (await _h.GetAsync<ConfigMap>("demo-ring"))!.Data!.TryGetValue(RingConfigMapBuilder.OrchestrationKey, out string? json)
            ? ScaleOperation.TryParse(json)
            : null;

    private async Task<CacheRing> RingAsync() => RingDocument.Parse((await _h.GetAsync<ConfigMap>("demo-ring"))!.Data![RingConfigMapBuilder.RingKey]);

    /// <summary>Reconciles (running new pods like the kubelet would) until the phase is reached; bounded.</summary>
    private async Task<ScaleOperation> UntilAsync(ScalePhase phase, int rounds = 20)
    {
        for (int i = 0; i < rounds; i++)
        {
            await ReconcileAsync();
            await _h.RunPodsAsync("demo-default", "10.1.0");
            var operation = await OperationAsync();
            if (operation?.Phase == phase)
                return operation;
        }

        throw new InvalidOperationException($"phase {phase} not reached; now {(await OperationAsync())?.Phase}");
    }

    [Fact]
    public async Task ScaleOut_WarmsUpNewShard_PublishesOnlyWhenCaughtUp_ThenDropsMovedBuckets()
    {
        long before = await ConvergedAsync();
        await ScaleToAsync(3);

        var warming = await UntilAsync(ScalePhase.WarmingUp);
        for (int i = 0; i < 3; i++)
            await ReconcileAsync();

        // Not caught up: the ring still has two shards and the version has not moved.
        Assert.Equal(ScalePhase.WarmingUp, (await OperationAsync())!.Phase);
        Assert.Equal(2, (await RingAsync()).Default.Table.Shards.Count);
        Assert.Equal(before, (await RingAsync()).Version);
        var pulls = _nodes.Pulls["10.1.0.3"];
        Assert.Equal(warming.Transfers.Count, pulls.Count);
        Assert.Equal(["10.1.0.1", "10.1.0.2"], pulls.Select(p => p.Source).Order());
        var status = (await _h.ClusterAsync("demo")).Status!;
        Assert.Equal(ClusterPhases.Scaling, status.Phase);
        Assert.Equal("ScalingOut", Conditions.Find(status.Conditions, ConditionTypes.Progressing)!.Reason);
        Assert.All(status.WarmUps, w => Assert.Equal(("shard-2", "demo-default-2", 5000L), (w.Shard, w.Target, w.LagItems)));

        _nodes.CaughtUp = true;
        var done = await UntilAsync(ScalePhase.Done);

        var ring = await RingAsync();
        Assert.Equal(["shard-0", "shard-1", "shard-2"], ring.Default.Table.Shards);
        Assert.True(ring.Version > before);
        Assert.Equal(ring.Version, done.PublishedVersion);
        Assert.All(_h.Routers.Served.Values, v => Assert.True(v >= ring.Version));
        Assert.Equal(
            done.Transfers.Select(t => (t.SourcePod == "demo-default-0" ? "10.1.0.1" : "10.1.0.2", t.Buckets)).Order(),
            _nodes.Drops.Order());
        Assert.Equal(done.Transfers.Count, _nodes.Stops.Count);

        await ReconcileAsync();
        status = (await _h.ClusterAsync("demo")).Status!;
        Assert.NotEqual("ScalingOut", Conditions.Find(status.Conditions, ConditionTypes.Progressing)!.Reason);
        Assert.Equal(3, status.Shards);
        Assert.All(status.WarmUps, w => Assert.Equal("Done", w.Phase));
        var reasons = (await _h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items.Select(e => e.Reason).ToList();
        Assert.Contains("ScaleOutStarted", reasons);
        Assert.Contains("WarmUpStarted", reasons);
        Assert.Contains("WarmUpCaughtUp", reasons);
        Assert.Contains("ScaleOutComplete", reasons);
    }

    [Fact]
    public async Task OperatorRestart_DuringWarmUp_ResumesWithoutStartingPullsTwice()
    {
        await ConvergedAsync();
        await ScaleToAsync(3);
        var warming = await UntilAsync(ScalePhase.WarmingUp);
        await ReconcileAsync();
        int pulls = _nodes.Pulls["10.1.0.3"].Count;

        _reconciler = NewReconciler();
        _nodes.CaughtUp = true;
        await UntilAsync(ScalePhase.Done);

        Assert.Equal(warming.Transfers.Count, pulls);
        Assert.Empty(_nodes.Pulls["10.1.0.3"]);
        Assert.Equal(pulls, _nodes.Stops.Count);
    }

    [Fact]
    public async Task SourceReplaced_DuringWarmUp_RestartsTheStreamFromTheNewAddress_AndSaysSo()
    {
        await ConvergedAsync();
        await ScaleToAsync(3);
        await UntilAsync(ScalePhase.WarmingUp);
        await ReconcileAsync();

        var labels = (await _h.GetAsync<Pod>("demo-default-0"))!.Metadata.Labels!;
        await _h.RunPodAsync("demo-default-0", labels, "10.1.0.9", ready: true);
        await ReconcileAsync();

        var pulls = _nodes.Pulls["10.1.0.3"];
        Assert.Contains(pulls, p => p.Source == "10.1.0.9");
        Assert.DoesNotContain(pulls, p => p.Source == "10.1.0.1");
        var reasons = (await _h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items.Select(e => e.Reason).ToList();
        Assert.Contains("WarmUpSourceChanged", reasons);
    }

    [Fact]
    public async Task SpecChange_DuringScaleOut_WaitsForItToFinish_ThenScalesAgain()
    {
        await ConvergedAsync();
        await ScaleToAsync(3);
        await UntilAsync(ScalePhase.WarmingUp);
        await ScaleToAsync(4);
        await ReconcileAsync();

        var operation = (await OperationAsync())!;
        Assert.Equal(3, operation.ToShards.Count);
        Assert.Contains("shards 3 → 4 waits for the running scale-out", (await _h.ClusterAsync("demo")).Status!.Message, StringComparison.Ordinal);

        _nodes.CaughtUp = true;
        await UntilAsync(ScalePhase.Done);
        var second = await UntilAsync(ScalePhase.Done, rounds: 30);
        Assert.Equal(4, second.ToShards.Count);
        Assert.Equal(4, (await RingAsync()).Default.Table.Shards.Count);
    }

    [Fact]
    public async Task ScaleIn_HandsTheLeavingShardsBucketsOver_FlipsTheRing_ThenShrinksTheStatefulSet()
    {
        await ConvergedAsync();
        await ScaleToAsync(3);
        _nodes.CaughtUp = true;
        await UntilAsync(ScalePhase.Done);
        long before = (await RingAsync()).Version;
        _nodes.Drops.Clear();

        await ScaleToAsync(2);
        await ReconcileAsync();
        var started = (await OperationAsync())!;
        Assert.Equal((ScaleOperation.ScaleIn, ScalePhase.AddingPods), (started.Operation, started.Phase));
        Assert.Equal(3, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        Assert.Equal("ScalingIn", Conditions.Find((await _h.ClusterAsync("demo")).Status!.Conditions, ConditionTypes.Progressing)!.Reason);

        var done = await UntilAsync(ScalePhase.Done);

        Assert.All(done.Transfers, t => Assert.Equal(("shard-2", "demo-default-2"), (t.FromShard, t.SourcePod)));
        Assert.Equal(["10.1.0.1", "10.1.0.2"], _nodes.Pulls.Where(p => p.Key != "10.1.0.3").Select(p => p.Key).Order());
        var ring = await RingAsync();
        Assert.Equal(["shard-0", "shard-1"], ring.Default.Table.Shards);
        Assert.True(ring.Version > before);
        await ReconcileAsync();
        Assert.Equal(2, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        Assert.DoesNotContain(RingAsyncMembers(await _h.GetAsync<ConfigMap>("demo-ring")), m => m == "demo-default-2");
    }

    /// <summary>As right after creation: pod 0 shard-0, pod 1 shard-1, pod 2 the standby.</summary>
    private async Task RunningWithAStandbyAsync()
    {
        _reconciler = NewReconciler();
        await _h.CreateAsync("demo", """{"shards":2,"standbys":1,"memory":"64Mi","router":{"replicas":1}}""");
        await ReconcileAsync();
        await _h.RunPodsAsync("demo-default", "10.1.0");
        await _h.RunRouterPodsAsync("demo-router", "10.2.0");
        await ReconcileAsync();
    }

    [Fact]
    public async Task ScaleIn_WhenTheHighestOrdinalIsAStandby_MovesTheStandbyRoleDown_AndTheStatefulSetDeletesTheOldStandby()
    {
        await RunningWithAStandbyAsync();
        _nodes.CaughtUp = true;

        await ScaleToAsync(1);
        await ReconcileAsync();
        var started = (await OperationAsync())!;
        Assert.Equal(ScaleOperation.ScaleIn, started.Operation);
        Assert.Equal(["shard-0"], started.ToShards);
        Assert.Equal(3, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);

        var done = await UntilAsync(ScalePhase.Done);

        // shard-1's buckets went from pod 1 to pod 0 and were dropped on pod 1 after the flip.
        Assert.All(done.Transfers, t => Assert.Equal(("shard-1", "demo-default-1", "demo-default-0"), (t.FromShard, t.SourcePod, t.TargetPod)));
        Assert.Equal(["shard-0"], (await RingAsync()).Default.Table.Shards);
        Assert.Contains(_nodes.Drops, d => d.Source == "10.1.0.2");
        await ReconcileAsync();
        Assert.Equal(2, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        var members = CacheOperator.Reconciler.Ring.MemberAssignment.TryParse(
            (await _h.GetAsync<ConfigMap>("demo-ring"))!.Data![RingConfigMapBuilder.MembersKey])!.Find("default")!;
        Assert.Equal(
            [("demo-default-0", CacheOperator.Reconciler.Ring.MemberRole.Primary, "shard-0"), ("demo-default-1", CacheOperator.Reconciler.Ring.MemberRole.Standby, null)],
            members.Members.Select(m => (m.Pod, m.Role, m.Shard)));
        Assert.Equal((1, 1), (members.Shards, members.Standbys));

        // The new standby held shard-1's keys (and a replica's would hold all of them): it is emptied before it can
        // ever take a shard.
        Assert.Contains("10.1.0.2", _h.ReplicaNodes.Emptied);
        Assert.Equal(["10.1.0.2"], (await RingAsync()).Standbys.Select(s => s.Host));
    }

    /// <summary>
    /// As after raising replicasPerShard 1 → 2 on a running cluster with a standby: the new replicas take the
    /// highest ordinals (pod 3 of shard-0, pod 4 of shard-1), all pods running.
    /// </summary>
    private async Task RunningWithRaisedReplicasAsync()
    {
        await RunningWithAStandbyAsync();
        var cluster = await _h.ClusterAsync("demo");
        cluster.Spec.ReplicasPerShard = 2;
        await _h.Api.ReplaceAsync(cluster);
        for (int i = 0; i < 3; i++)
        {
            await ReconcileAsync();
            await _h.RunPodsAsync("demo-default", "10.1.0");
        }
    }

    [Fact]
    public async Task ScaleIn_AfterRaisingReplicas_CopiesTheStayingShardDownFirst_ThenScalesIn()
    {
        // Replicas added after creation take the highest ordinals: pods 3 and 4 are replicas of shard-0 and shard-1.
        await RunningWithRaisedReplicasAsync();

        Assert.Equal(5, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        _h.ReplicaNodes.NewPullPhase = "Snapshot";
        _nodes.CaughtUp = true;

        // Shard-0 stays: the standby (pod 2) becomes its replica and copies it; nothing else moves meanwhile.
        await ScaleToAsync(1);
        await ReconcileAsync();
        var started = (await OperationAsync())!;
        Assert.Equal((ScaleOperation.ScaleIn, ScalePhase.CopyingDown, "shard-0"), (started.Operation, started.Phase, Assert.Single(started.ToShards)));
        Assert.Equal([new ShrinkCopy("demo-default-2", "shard-0", "standby", "demo-default-0")], started.Copies);
        Assert.Equal("P:shard-0 P:shard-1 R:shard-0 R:shard-0 R:shard-1", PoolLayouts.Describe(await PoolAsync()));
        for (int i = 0; i < 3; i++)
        {
            await ReconcileAsync();
            await _h.RunPodsAsync("demo-default", "10.1.0");
            Assert.Equal(ScalePhase.CopyingDown, (await OperationAsync())!.Phase);
            Assert.Equal(["10.1.0.4"], (await RingAsync()).Default.Shards.Single(s => s.Id == "shard-0").Replicas.Select(a => a.Host));
            Assert.Empty(_nodes.Pulls.Values.SelectMany(p => p));
        }

        Assert.Equal(ScaleStatus.ReasonCopyingDown, Conditions.Find((await _h.ClusterAsync("demo")).Status!.Conditions, ConditionTypes.Progressing)!.Reason);

        // It tails: shard-0's copy above (pod 3) retires from the ring, then the ordinary scale-in.
        _h.ReplicaNodes.Set("10.1.0.3", ReplicaPhases.Tailing);
        var done = await UntilAsync(ScalePhase.Done);
        Assert.All(done.Transfers, t => Assert.Equal(("shard-1", "demo-default-1", "demo-default-0"), (t.FromShard, t.SourcePod, t.TargetPod)));
        await ReconcileAsync();
        Assert.Equal(3, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        var pool = await PoolAsync();
        Assert.Equal("P:shard-0 S R:shard-0", PoolLayouts.Describe(pool));
        Assert.Contains("10.1.0.2", _h.ReplicaNodes.Emptied);
        Assert.Equal((1, 2, 1), (pool.Shards, pool.ReplicasPerShard, pool.Standbys));
        var ring = await RingAsync();
        Assert.Equal(["10.1.0.3"], ring.Default.Shards.Single().Replicas.Select(a => a.Host));
        var events = (await _h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items;
        Assert.Contains(events, e => e.Reason == "ShardCopyMoved" && e.Message!.StartsWith("shards 2 → 1: demo-default-2 (standby) becomes a replica of shard-0", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "ScaleInStarted" && e.Message!.Contains("demo-default-3 (replica of shard-0) leave the ring (copied down)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScaleIn_CopyDown_WhenAFailoverMovesTheStayingShardAbove_EndsWithNothingMoved()
    {
        await RunningWithRaisedReplicasAsync();

        _h.ReplicaNodes.NewPullPhase = "Snapshot";
        await ScaleToAsync(1);
        await ReconcileAsync();
        Assert.Equal(ScalePhase.CopyingDown, (await OperationAsync())!.Phase);

        // Shard-0's primary (pod 0) fails mid-copy: its whole replica, pod 3 (above the 3 kept), takes it over, and
        // the copy into pod 2 starts over from there.
        await FailoverReconcileTests.NotReadyForAsync(_h, "demo-default-0", TimeSpan.FromSeconds(60));
        await ReconcileAsync();
        Assert.Equal(["10.1.0.4"], _h.ReplicaNodes.Promoted);
        Assert.Equal(ScalePhase.CopyingDown, (await OperationAsync())!.Phase);
        Assert.Contains(_h.ReplicaNodes.On("10.1.0.3"), p => p.SourceIP == "10.1.0.4");

        // The copy tails, but shard-0's primary now sits where the StatefulSet would delete it: nothing moves.
        _h.ReplicaNodes.Set("10.1.0.3", ReplicaPhases.Tailing);
        await ReconcileAsync();
        var ended = (await OperationAsync())!;
        Assert.Equal((ScaleOperation.ScaleIn, ScalePhase.Done), (ended.Operation, ended.Phase));
        Assert.Empty(ended.Transfers);
        Assert.Empty(_nodes.Pulls.Values.SelectMany(p => p));
        Assert.Contains((await _h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items, e => e.Reason == "CopyDownAbandoned");
        Assert.Equal(5, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
        Assert.Equal(2, (await RingAsync()).Default.Table.Shards.Count);
    }

    [Fact]
    public async Task ScaleIn_WithoutAFreeKeptPodToCopyInto_IsRefusedWithAMessage()
    {
        // Standbys 0 and replicas raised: pods 0 and 1 are the primaries, 2 and 3 their replicas; 1 shard keeps 2 pods,
        // and the only kept pod not shard-0's is shard-1's primary, the warm-up's source.
        _reconciler = NewReconciler();
        await _h.CreateAsync("demo", """{"shards":2,"memory":"64Mi","router":{"replicas":1}}""");
        await ReconcileAsync();
        await _h.RunPodsAsync("demo-default", "10.1.0");
        await _h.RunRouterPodsAsync("demo-router", "10.2.0");
        await ReconcileAsync();
        var cluster = await _h.ClusterAsync("demo");
        cluster.Spec.ReplicasPerShard = 2;
        await _h.Api.ReplaceAsync(cluster);
        await ReconcileAsync();
        Assert.Equal(4, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);

        await ScaleToAsync(1);
        await ReconcileAsync();

        Assert.Null(await OperationAsync());
        Assert.Contains("shards 2 → 1 is not supported for this layout", (await _h.ClusterAsync("demo")).Status!.Message, StringComparison.Ordinal);
        Assert.Equal(4, (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas);
    }

    private async Task<CacheOperator.Reconciler.Ring.PoolAssignment> PoolAsync() =>
        CacheOperator.Reconciler.Ring.MemberAssignment.TryParse((await _h.GetAsync<ConfigMap>("demo-ring"))!.Data![RingConfigMapBuilder.MembersKey])!.Find("default")!;

    private static IEnumerable<string> RingAsyncMembers(ConfigMap? map) =>
        CacheOperator.Reconciler.Ring.MemberAssignment.TryParse(map!.Data![RingConfigMapBuilder.MembersKey])!.Pools.SelectMany(p => p.Members).Select(m => m.Pod);

    [Fact]
    public async Task RouterNotServingNewRing_KeepsTheOldOwnersData()
    {
        await ConvergedAsync();
        await ScaleToAsync(3);
        _nodes.CaughtUp = true;
        _h.Routers.Down["10.2.0.1"] = true;
        await UntilAsync(ScalePhase.WaitingForRouters);
        for (int i = 0; i < 3; i++)
            await ReconcileAsync();

        Assert.Equal(ScalePhase.WaitingForRouters, (await OperationAsync())!.Phase);
        Assert.Empty(_nodes.Drops);
        Assert.Contains("0/1 serve ring version", (await _h.ClusterAsync("demo")).Status!.Message, StringComparison.Ordinal);

        _h.Routers.Down.TryRemove("10.2.0.1", out _);
        await UntilAsync(ScalePhase.Done);
        Assert.NotEmpty(_nodes.Drops);
    }
}
