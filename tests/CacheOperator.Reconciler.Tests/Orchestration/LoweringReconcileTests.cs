using System.Globalization;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Desired;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>
/// Lowering replicasPerShard and changing standbys, driven by the reconcile loop over the in-memory API with fake
/// nodes and routers: the ring stops listing the leaving members, every router confirms, and only then does the
/// StatefulSet shrink.
/// </summary>
public sealed class LoweringReconcileTests
{
    private const string TwoCopies = """{"shards":2,"replicasPerShard":2,"standbys":1,"memory":"64Mi","router":{"replicas":1}}""";

    private readonly FakeNodeAdmin _warmUps = new();
    private readonly ReconcileHarness _h;

    /// <summary>The first ring version stored with a lowering running: the one without the leaving members.</summary>
    private long? _ringWithoutLeaving;

    public LoweringReconcileTests() => _h = new ReconcileHarness(nodes: _warmUps);

    private async Task RunningAsync(string spec)
    {
        await _h.CreateAsync("demo", spec);
        await _h.ReconcileAsync("demo");
        await _h.RunPodsAsync("demo-default", "10.1.0");
        await _h.RunRouterPodsAsync("demo-router", "10.2.0");
        await _h.ConvergeAsync("demo");
        Assert.Equal(ClusterPhases.Running, (await _h.ClusterAsync("demo")).Status!.Phase);
    }

    private async Task ChangeAsync(Action<CacheClusterSpec> change)
    {
        var cluster = await _h.ClusterAsync("demo");
        change(cluster.Spec);
        await _h.Api.ReplaceAsync(cluster);
    }

    private async Task<int> PodCountAsync() => (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.Replicas ?? 0;

    private async Task<ScaleOperation?> OperationAsync() =>
        (await _h.GetAsync<ConfigMap>("demo-ring"))!.Data!.TryGetValue(RingConfigMapBuilder.OrchestrationKey, out string? json)
            ? ScaleOperation.TryParse(json)
            : null;

    private async Task<(CacheRing Ring, PoolAssignment Pool)> RingAsync()
    {
        var (ring, members) = await FailoverReconcileTests.RingAsync(_h);
        return (ring, members.Find("default")!);
    }

    private static string Layout(PoolAssignment pool) => PoolLayouts.Describe(pool).Replace("shard-", "s", StringComparison.Ordinal);

    /// <summary>The ordinals of every node the ring lists (pods have IP 10.1.0.(ordinal+1), or their DNS name before one).</summary>
    private static IEnumerable<int> ListedOrdinals(CacheRing ring) =>
        ring.Default.Shards.SelectMany(s => s.Replicas.Prepend(s.Primary)).Concat(ring.Standbys)
            .Select(a => a.Host.StartsWith("demo-default-", StringComparison.Ordinal)
                ? int.Parse(a.Host["demo-default-".Length..a.Host.IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture)
                : int.Parse(a.Host.Split('.')[3], CultureInfo.InvariantCulture) - 1);

    /// <summary>
    /// One reconcile, then what the StatefulSet controller does: delete the pods above its count, run the others. The
    /// ring must never list a pod the StatefulSet dropped, and it shrinks only once every router serves a ring
    /// without the pods it drops. Returns the operation after the reconcile.
    /// </summary>
    private async Task<ScaleOperation?> StepAsync()
    {
        int before = await PodCountAsync();
        await _h.ReconcileAsync("demo");
        int after = await PodCountAsync();
        var (ring, _) = await RingAsync();
        Assert.All(ListedOrdinals(ring), ordinal => Assert.True(ordinal < after, $"ring v{ring.Version} lists ordinal {ordinal}; the StatefulSet keeps {after}"));
        if (after < before)
        {
            // Every router serves a ring that already listed none of the dropped pods.
            Assert.NotNull(_ringWithoutLeaving);
            Assert.NotEmpty(_h.Routers.Served);
            Assert.All(_h.Routers.Served.Values, v => Assert.True(v >= _ringWithoutLeaving, $"router at v{v}, ring without the leaving pods is v{_ringWithoutLeaving}"));
            for (int i = after; i < before; i++)
                await _h.Api.DeleteAsync<Pod>(ReconcileHarness.Ns, $"demo-default-{i}");
        }

        await _h.RunPodsAsync("demo-default", "10.1.0");
        var operation = await OperationAsync();
        if (operation is { Lowering: true, Active: true, Phase: not ScalePhase.CopyingDown } && _ringWithoutLeaving is null)
            _ringWithoutLeaving = ring.Version;
        return operation;
    }

    private async Task<ScaleOperation> UntilDoneAsync(int rounds = 12)
    {
        for (int i = 0; i < rounds; i++)
        {
            if (await StepAsync() is { Active: false } done)
                return done;
        }

        throw new InvalidOperationException($"not done; now {(await OperationAsync())?.Phase}: {(await OperationAsync())?.Message}");
    }

    private async Task<IList<Event>> EventsAsync() => (await _h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items;

    [Fact]
    public async Task ReplicasPerShard2To1_WithAStandby_RingDropsTheLeavingCopies_RoutersConfirm_ThenTheStatefulSetShrinks()
    {
        await RunningAsync(TwoCopies);
        var (before, _) = await RingAsync();
        Assert.All(before.Default.Shards, s => Assert.Single(s.Replicas));
        _h.Routers.Down["10.2.0.1"] = true;

        await ChangeAsync(s => s.ReplicasPerShard = 1);
        var started = (await StepAsync())!;

        // Pod 1 (shard-0's replica, kept) and pods 3 and 4 (shard-1's replica, the standby) leave the ring at once.
        Assert.Equal((ScaleOperation.RemoveReplicas, ScalePhase.Publishing), (started.Operation, started.Phase));
        Assert.Equal(["demo-default-3", "demo-default-4"], started.LeavingPods);
        var (ring, pool) = await RingAsync();
        Assert.Equal("P:s0 S~ P:s1 S~ S~", Layout(pool));
        Assert.All(ring.Default.Shards, s => Assert.Empty(s.Replicas));
        Assert.Empty(ring.Standbys);
        Assert.True(ring.Version > before.Version);
        Assert.Equal(5, await PodCountAsync());
        var status = (await _h.ClusterAsync("demo")).Status!;
        Assert.Equal(ScaleStatus.ReasonRemovingReplicas, Conditions.Find(status.Conditions, ConditionTypes.Progressing)!.Reason);

        // A router that does not answer holds the pods: nothing shrinks, nothing is stopped.
        for (int i = 0; i < 3; i++)
            await StepAsync();
        Assert.Equal(ScalePhase.WaitingForRouters, (await OperationAsync())!.Phase);
        Assert.Equal(5, await PodCountAsync());
        Assert.Empty(_h.ReplicaNodes.Stops);
        Assert.Contains("0/1 serve ring version", (await _h.ClusterAsync("demo")).Status!.Message, StringComparison.Ordinal);

        _h.Routers.Down.TryRemove("10.2.0.1", out _);
        await UntilDoneAsync();

        Assert.Equal(3, await PodCountAsync());
        (ring, pool) = await RingAsync();
        Assert.Equal("P:s0 S! P:s1", Layout(pool));
        Assert.Equal((2, 1, 1), (pool.Shards, pool.ReplicasPerShard, pool.Standbys));
        Assert.Equal(["10.1.0.2"], ring.Standbys.Select(s => s.Host));

        // The kept replica's stream was ended before it became a standby, and the standby duty empties it.
        Assert.Contains(_h.ReplicaNodes.Stops, s => s.Replica == "10.1.0.2");
        Assert.Empty(_h.ReplicaNodes.On("10.1.0.2"));
        await StepAsync();
        Assert.Contains("10.1.0.2", _h.ReplicaNodes.Emptied);
        Assert.Null((await RingAsync()).Pool.Members[1].ToEmpty);
        var events = await EventsAsync();
        Assert.Single(events, e => e.Reason == "ReplicaRemovalStarted");
        Assert.Contains(events, e => e.Reason == "ReplicasRemoved");
        Assert.Equal("Converged", Conditions.Find((await _h.ClusterAsync("demo")).Status!.Conditions, ConditionTypes.Progressing)!.Reason);
    }

    [Fact]
    public async Task PrimaryAboveTheKeptPods_IsReplacedByItsWholeReplica_PromotedBeforeTheRingNamesIt()
    {
        await RunningAsync(TwoCopies);

        // As after a restart failover of shard-1: its primary is pod 3 (deleted by the shrink), its replica pod 2.
        var map = (await _h.GetAsync<ConfigMap>("demo-ring"))!;
        var (_, pool) = await RingAsync();
        var swapped = pool with
        {
            Members = [.. pool.Members.Select(m => m.Ordinal switch
            {
                2 => m with { Role = MemberRole.Replica },
                3 => m with { Role = MemberRole.Primary },
                _ => m,
            })],
        };
        map.Data![RingConfigMapBuilder.MembersKey] = new MemberAssignment([swapped]).ToJson();
        await _h.Api.ReplaceAsync(map);
        await _h.ConvergeAsync("demo");
        Assert.Contains(_h.ReplicaNodes.On("10.1.0.3"), p => p.SourceIP == "10.1.0.4" && p.HoldsShard);

        await ChangeAsync(s => s.ReplicasPerShard = 1);
        await StepAsync();

        Assert.Equal(["10.1.0.3"], _h.ReplicaNodes.Promoted);
        var (ring, after) = await RingAsync();
        Assert.Equal((MemberRole.Primary, "shard-1"), (after.Members[2].Role, after.Members[2].Shard));
        Assert.Equal("10.1.0.3", ring.Default.Shards.Single(s => s.Id == "shard-1").Primary.Host);
        Assert.Contains(await EventsAsync(), e => e.Reason == "ReplicaRemovalStarted" && e.Message!.Contains("promoted demo-default-2", StringComparison.Ordinal));

        await UntilDoneAsync();
        Assert.Equal(3, await PodCountAsync());
        Assert.Equal("P:s0 S! P:s1", Layout((await RingAsync()).Pool));
    }

    [Fact]
    public async Task OperatorRestart_BetweenSteps_Resumes_WithoutStartingTwice()
    {
        await RunningAsync(TwoCopies);
        await ChangeAsync(s => s.ReplicasPerShard = 1);
        await StepAsync();
        Assert.Equal(ScalePhase.Publishing, (await OperationAsync())!.Phase);

        _h.RestartOperator();
        Assert.Equal(ScalePhase.WaitingForRouters, (await StepAsync())!.Phase);
        _h.RestartOperator();
        Assert.Equal(ScalePhase.Dropping, (await StepAsync())!.Phase);
        _h.RestartOperator();
        await UntilDoneAsync();

        Assert.Equal(3, await PodCountAsync());
        Assert.Equal("P:s0 S! P:s1", Layout((await RingAsync()).Pool));
        Assert.Single(await EventsAsync(), e => e.Reason == "ReplicaRemovalStarted");
        Assert.Single(await EventsAsync(), e => e.Reason == "ReplicasRemoved");
    }

    [Fact]
    public async Task KeptReplicaNotAnswering_HoldsTheShrink_UntilItsStreamIsEnded()
    {
        await RunningAsync(TwoCopies);
        await ChangeAsync(s => s.ReplicasPerShard = 1);
        await StepAsync();
        await StepAsync();
        Assert.Equal(ScalePhase.Dropping, (await StepAsync())!.Phase);

        // Pod 1 stays (as a standby): its stream must end first, or it would refill and stay read-only.
        _h.ReplicaNodes.Down["10.1.0.2"] = true;
        for (int i = 0; i < 3; i++)
            await StepAsync();
        var held = (await OperationAsync())!;
        Assert.Equal(ScalePhase.Dropping, held.Phase);
        Assert.Equal("ending the replica streams of demo-default-1: no answer yet", held.Message);
        Assert.Equal(5, await PodCountAsync());

        _h.ReplicaNodes.Down.TryRemove("10.1.0.2", out _);
        await UntilDoneAsync();
        Assert.Empty(_h.ReplicaNodes.On("10.1.0.2"));
        Assert.Equal(3, await PodCountAsync());
    }

    [Fact]
    public async Task Lowering_AskedDuringAScaleOut_WaitsForItToFinish()
    {
        await RunningAsync(TwoCopies);
        await ChangeAsync(s => s.Shards = 3);
        Assert.Equal(ScaleOperation.ScaleOut, (await StepAsync())!.Operation);

        await ChangeAsync(s => s.ReplicasPerShard = 1);
        await StepAsync();
        Assert.Equal(ScaleOperation.ScaleOut, (await OperationAsync())!.Operation);
        Assert.Contains("replicasPerShard 2 → 1 waits for the running scale-out of pool default to finish",
            (await _h.ClusterAsync("demo")).Status!.Message, StringComparison.Ordinal);
        Assert.All((await RingAsync()).Pool.Members, m => Assert.Null(m.Retiring));

        // Once done, the lowering is judged on the new layout: shard-2's copies (pods 5 and 6) sit above the 4 kept,
        // so shard-1's replica (pod 3) copies it down first.
        _warmUps.CaughtUp = true;
        await UntilDoneAsync(20);
        var lowering = (await StepAsync())!;
        Assert.Equal((ScaleOperation.RemoveReplicas, ScalePhase.CopyingDown), (lowering.Operation, lowering.Phase));
        Assert.Equal(["demo-default-3:shard-2"], lowering.Copies.Select(c => $"{c.Pod}:{c.Shard}"));
        await UntilDoneAsync();
        Assert.Equal(4, await PodCountAsync());
        Assert.Equal("P:s0 S! P:s1 P:s2", Layout((await RingAsync()).Pool));
    }

    [Fact]
    public async Task ThreeShards_ReplicasPerShard2To1_CopiesTheLastShardDownFirst_AndShrinksOnlyOnceTheCopyTails()
    {
        // Shards 3, R 2, standbys 1: shard-2's copies are pods 4 and 5, both above the 4 pods R 1 keeps.
        await RunningAsync("""{"shards":3,"replicasPerShard":2,"standbys":1,"memory":"64Mi","router":{"replicas":1}}""");
        _h.ReplicaNodes.NewPullPhase = "Snapshot";
        int startsBefore = _h.ReplicaNodes.Starts.Count;

        await ChangeAsync(s => s.ReplicasPerShard = 1);
        var started = (await StepAsync())!;

        // Pod 3 (shard-1's replica, surplus at R 1) becomes shard-2's replica and copies it from pod 4; nothing leaves.
        Assert.Equal((ScaleOperation.RemoveReplicas, ScalePhase.CopyingDown), (started.Operation, started.Phase));
        Assert.Equal([new ShrinkCopy("demo-default-3", "shard-2", "replica of shard-1", "demo-default-4")], started.Copies);
        Assert.Equal("P:s0 R:s0 P:s1 R:s2 P:s2 R:s2 S", Layout((await RingAsync()).Pool));

        // Pod 3's copy of shard-1 is replaced only once no router reads from it: this ring leaves it out, and its
        // pull from shard-1's primary (pod 2) runs on until every router serves that ring.
        Assert.Empty(_h.ReplicaNodes.Starts.Skip(startsBefore));
        Assert.Empty(_h.ReplicaNodes.Stops);
        Assert.Single(_h.ReplicaNodes.On("10.1.0.4"), p => p.SourceIP == "10.1.0.3");
        Assert.DoesNotContain((await RingAsync()).Ring.Default.Shards.SelectMany(s => s.Replicas), a => a.Host == "10.1.0.4");
        Assert.Equal(ReplicaPhases.WaitingForRouters, (await _h.ClusterAsync("demo")).Status!.Members.Single(m => m.Name == "demo-default-3").Replication);

        Assert.Equal(ScalePhase.CopyingDown, (await StepAsync())!.Phase);
        Assert.Equal([("10.1.0.4", "10.1.0.5")], _h.ReplicaNodes.Starts.Skip(startsBefore));
        Assert.Single(_h.ReplicaNodes.On("10.1.0.4"), p => p.SourceIP == "10.1.0.5");
        Assert.Contains(await EventsAsync(), e => e.Reason == "ShardCopyMoved"
            && e.Message == "replicasPerShard 2 → 1: demo-default-3 (replica of shard-1) becomes a replica of shard-2 and copies it from demo-default-4; nothing leaves the ring until it tails");

        // While it copies: the StatefulSet keeps 7, the ring never reads from pod 3, status says so. An operator restart
        // mid-copy continues the same copy (no second pull).
        for (int i = 0; i < 4; i++)
        {
            if (i == 2)
                _h.RestartOperator();
            var copying = (await StepAsync())!;
            Assert.Equal(ScalePhase.CopyingDown, copying.Phase);
            Assert.Equal(7, await PodCountAsync());
            var ring = (await RingAsync()).Ring;
            Assert.DoesNotContain(ring.Default.Shards.SelectMany(s => s.Replicas.Prepend(s.Primary)), a => a.Host == "10.1.0.4");
            Assert.Equal(["10.1.0.6"], ring.Default.Shards.Single(s => s.Id == "shard-2").Replicas.Select(a => a.Host));
            var status = (await _h.ClusterAsync("demo")).Status!;
            Assert.Equal(ScaleStatus.ReasonCopyingDown, Conditions.Find(status.Conditions, ConditionTypes.Progressing)!.Reason);
            Assert.Contains("CopyingDown: copying shard-2 into demo-default-3 from demo-default-4: Snapshot, 100 items", status.Message, StringComparison.Ordinal);
            Assert.Equal("Snapshot", status.Members.Single(m => m.Name == "demo-default-3").Replication);
        }

        Assert.Single(_h.ReplicaNodes.Starts.Skip(startsBefore));
        Assert.Empty(_h.ReplicaNodes.Promoted);

        // It tails: promoted to shard-2's primary, the other copies leave the ring, routers confirm, the StatefulSet shrinks.
        _h.ReplicaNodes.Set("10.1.0.4", ReplicaPhases.Tailing);
        await UntilDoneAsync();

        Assert.Equal(["10.1.0.4"], _h.ReplicaNodes.Promoted);
        Assert.Equal(4, await PodCountAsync());
        var (after, pool) = await RingAsync();
        Assert.Equal("P:s0 S! P:s1 P:s2", Layout(pool));
        Assert.Equal((3, 1, 1), (pool.Shards, pool.ReplicasPerShard, pool.Standbys));
        Assert.Equal(["10.1.0.1", "10.1.0.3", "10.1.0.4"], after.Default.Shards.Select(s => s.Primary.Host).Order());
        Assert.All(after.Default.Shards, s => Assert.Empty(s.Replicas));
        var events = await EventsAsync();
        Assert.Single(events, e => e.Reason == "ShardCopyMoved");
        Assert.Contains(events, e => e.Reason == "ReplicaRemovalStarted" && e.Message!.Contains("promoted demo-default-3 to primary of shard-2 (was demo-default-4)", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "ReplicasRemoved");
    }

    [Fact]
    public async Task CopyDown_OutlastingTheWarmUpTimeout_WarnsOnce_AndKeepsWaitingWithNothingRemoved()
    {
        await RunningAsync("""{"shards":3,"replicasPerShard":2,"standbys":1,"memory":"64Mi","router":{"replicas":1},"warmUp":{"timeoutSeconds":1}}""");
        _h.ReplicaNodes.NewPullPhase = "Snapshot";
        await ChangeAsync(s => s.ReplicasPerShard = 1);
        Assert.Equal(ScalePhase.CopyingDown, (await StepAsync())!.Phase);
        Assert.Equal(ScalePhase.CopyingDown, (await StepAsync())!.Phase);
        Assert.DoesNotContain(await EventsAsync(), e => e.Reason == "CopyDownSlow");

        // The copy never tails: past the timeout a Warning says so, once; the lowering goes on waiting.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        for (int i = 0; i < 3; i++)
            Assert.Equal(ScalePhase.CopyingDown, (await StepAsync())!.Phase);
        var slow = Assert.Single(await EventsAsync(), e => e.Reason == "CopyDownSlow");
        Assert.Equal(CacheOperator.Reconciler.Reconcile.EventRecorder.Warning, slow.Type);
        Assert.Contains("longer than spec.warmUp.timeoutSeconds (1 s): shard-2 into demo-default-3 from demo-default-4: Snapshot", slow.Message, StringComparison.Ordinal);
        Assert.Matches(@"copying shard-2 into demo-default-3 from demo-default-4: Snapshot, \d+ items \(for \d+ s\)", (await _h.ClusterAsync("demo")).Status!.Message);
        Assert.Equal(7, await PodCountAsync());
        Assert.Empty(_h.ReplicaNodes.Promoted);

        _h.ReplicaNodes.Set("10.1.0.4", ReplicaPhases.Tailing);
        await UntilDoneAsync();
        Assert.Equal(4, await PodCountAsync());
    }

    [Fact]
    public async Task CopyDown_NotYetStarted_OldCopyOfAnotherShard_IsNeverPromotedForTheNewShard()
    {
        await RunningAsync("""{"shards":3,"replicasPerShard":2,"standbys":1,"memory":"64Mi","router":{"replicas":1},"failover":{"notReadyThresholdSeconds":1}}""");
        await ChangeAsync(s => s.ReplicasPerShard = 1);
        Assert.Equal(ScalePhase.CopyingDown, (await StepAsync())!.Phase);

        // Pod 3, now shard-2's replica, still streams shard-1 from pod 2 (its copy waits for the routers), tailing,
        // as far behind as shard-2's real replica (pod 5). Shard-2's primary (pod 4) fails: pod 5 is promoted.
        Assert.Single(_h.ReplicaNodes.On("10.1.0.4"), p => p.SourceIP == "10.1.0.3" && p.Phase == ReplicaPhases.Tailing);
        await FailoverReconcileTests.NotReadyForAsync(_h, "demo-default-4", TimeSpan.FromSeconds(10));
        await _h.ReconcileAsync("demo");

        Assert.Equal(["10.1.0.6"], _h.ReplicaNodes.Promoted);
        var (ring, pool) = await RingAsync();
        Assert.Equal((MemberRole.Primary, "shard-2"), (pool.Members[5].Role, pool.Members[5].Shard));
        Assert.Equal((MemberRole.Replica, "shard-2"), (pool.Members[3].Role, pool.Members[3].Shard));
        Assert.DoesNotContain(ring.Default.Shards.SelectMany(s => s.Replicas.Prepend(s.Primary)), a => a.Host == "10.1.0.4");
    }

    [Fact]
    public async Task CopyDown_WhoseSourcePrimaryFails_FollowsTheFailover_AndCopiesFromTheNewPrimary()
    {
        await RunningAsync("""{"shards":3,"replicasPerShard":2,"standbys":1,"memory":"64Mi","router":{"replicas":1},"failover":{"notReadyThresholdSeconds":1}}""");
        _h.ReplicaNodes.NewPullPhase = "Snapshot";
        int startsBefore = _h.ReplicaNodes.Starts.Count;
        await ChangeAsync(s => s.ReplicasPerShard = 1);
        Assert.Equal(ScalePhase.CopyingDown, (await StepAsync())!.Phase);
        Assert.Equal(ScalePhase.CopyingDown, (await StepAsync())!.Phase);

        // Shard-2's primary (pod 4) fails: failover promotes its whole replica (pod 5, above the kept pods), and the
        // copy into pod 3 starts over from there. The shrink still waits for that copy.
        await FailoverReconcileTests.NotReadyForAsync(_h, "demo-default-4", TimeSpan.FromSeconds(10));
        for (int i = 0; i < 3; i++)
        {
            await _h.ReconcileAsync("demo");
            Assert.Equal(ScalePhase.CopyingDown, (await OperationAsync())!.Phase);
        }

        var (ring, pool) = await RingAsync();
        Assert.Equal((MemberRole.Primary, "shard-2"), (pool.Members[5].Role, pool.Members[5].Shard));
        Assert.Equal(["10.1.0.6"], _h.ReplicaNodes.Promoted);
        Assert.Equal([("10.1.0.4", "10.1.0.5"), ("10.1.0.4", "10.1.0.6")], _h.ReplicaNodes.Starts.Skip(startsBefore));
        Assert.Single(_h.ReplicaNodes.On("10.1.0.4"), p => p.SourceIP == "10.1.0.6");
        Assert.Empty(ring.Default.Shards.Single(s => s.Id == "shard-2").Replicas);
        Assert.Equal(7, await PodCountAsync());

        _h.ReplicaNodes.Set("10.1.0.4", ReplicaPhases.Tailing);
        await UntilDoneAsync();
        Assert.Equal(4, await PodCountAsync());
        Assert.Equal("P:s0 S! P:s1 P:s2", Layout((await RingAsync()).Pool));
        Assert.Contains("10.1.0.4", _h.ReplicaNodes.Promoted);
    }

    [Fact]
    public async Task ScaleOut_NewPrimaryStillStarting_IsNoFailure_ThoughFailoverActsWhileLowering()
    {
        // Failover acts while the cluster is Scaling for a lowering (above), but not for a scale-out: its new shard's
        // primary is a pod still starting.
        await RunningAsync("""{"shards":2,"standbys":1,"memory":"64Mi","router":{"replicas":1},"failover":{"notReadyThresholdSeconds":1}}""");
        await ChangeAsync(s => s.Shards = 3);
        await _h.ReconcileAsync("demo");
        Assert.Equal(ScaleOperation.ScaleOut, (await OperationAsync())!.Operation);
        var set = (await _h.GetAsync<StatefulSet>("demo-default"))!;
        await _h.RunPodAsync("demo-default-3", set.Spec.Template.Metadata!.Labels!, "10.1.0.4", ready: false);
        await FailoverReconcileTests.NotReadyForAsync(_h, "demo-default-3", TimeSpan.FromSeconds(10));

        for (int i = 0; i < 3; i++)
            await _h.ReconcileAsync("demo");

        Assert.Equal(ClusterPhases.Scaling, (await _h.ClusterAsync("demo")).Status!.Phase);
        Assert.Equal("P:s0 P:s1 S P:s2", Layout((await RingAsync()).Pool));
        Assert.DoesNotContain(await EventsAsync(), e => e.Reason == "FailoverStarted");
    }

    [Fact]
    public async Task RefusedLayout_KeepsTheStatefulSetSize_AndSaysWhy()
    {
        // Fewer standbys never moves a role: here a failover left shard-1's primary on pod 3, above the 3 kept.
        await RunningAsync("""{"shards":2,"standbys":2,"memory":"64Mi","router":{"replicas":1}}""");
        var map = (await _h.GetAsync<ConfigMap>("demo-ring"))!;
        var (_, pool) = await RingAsync();
        var moved = pool with
        {
            Members = [.. pool.Members.Select(m => m.Ordinal switch
            {
                1 => m with { Role = MemberRole.Standby, Shard = null },
                3 => m with { Role = MemberRole.Primary, Shard = "shard-1" },
                _ => m,
            })],
        };
        map.Data![RingConfigMapBuilder.MembersKey] = new MemberAssignment([moved]).ToJson();
        await _h.Api.ReplaceAsync(map);
        await _h.ConvergeAsync("demo");

        await ChangeAsync(s => s.Standbys = 1);
        await StepAsync();
        await StepAsync();

        Assert.Null(await OperationAsync());
        Assert.Equal(4, await PodCountAsync());
        var status = (await _h.ClusterAsync("demo")).Status!;
        Assert.Equal(
            "standbys 2 → 1 is not supported for this layout: demo-default-3 (primary of shard-1) sits among the pods the StatefulSet would remove (ordinals 3 and up); moving a role down would need a copy first; the cluster keeps 2",
            status.Message);
        Assert.Equal(Reconcile.StatusBuilder.ReasonTopologyChangePending, Conditions.Find(status.Conditions, ConditionTypes.Progressing)!.Reason);
    }

    [Fact]
    public async Task Standbys1To2_AddsTheNextOrdinalAsAStandby()
    {
        await RunningAsync("""{"shards":2,"standbys":1,"memory":"64Mi","router":{"replicas":1}}""");

        await ChangeAsync(s => s.Standbys = 2);
        await StepAsync();

        Assert.Null(await OperationAsync());
        Assert.Equal(4, await PodCountAsync());
        var (ring, pool) = await RingAsync();
        Assert.Equal("P:s0 P:s1 S S", Layout(pool));
        Assert.Equal(2, pool.Standbys);
        Assert.Contains(await EventsAsync(), e => e.Reason == "StandbysChanged" && e.Message == "standbys 1 → 2: demo-default-3 added");
        await _h.ConvergeAsync("demo");
        Assert.Equal(["10.1.0.3", "10.1.0.4"], (await RingAsync()).Ring.Standbys.Select(s => s.Host));
        Assert.Null((await _h.ClusterAsync("demo")).Status!.Message);
    }

    [Fact]
    public async Task Standbys2To1_RingDropsTheStandbyFirst_ThenTheStatefulSetShrinks()
    {
        await RunningAsync("""{"shards":2,"standbys":2,"memory":"64Mi","router":{"replicas":1}}""");

        await ChangeAsync(s => s.Standbys = 1);
        var started = (await StepAsync())!;

        Assert.Equal(ScaleOperation.RemoveStandbys, started.Operation);
        Assert.Equal(["demo-default-3"], started.LeavingPods);
        Assert.Equal(["10.1.0.3"], (await RingAsync()).Ring.Standbys.Select(s => s.Host));
        Assert.Equal(4, await PodCountAsync());

        await UntilDoneAsync();
        Assert.Equal(3, await PodCountAsync());
        var (_, pool) = await RingAsync();
        Assert.Equal("P:s0 P:s1 S", Layout(pool));
        Assert.Equal(1, pool.Standbys);
        Assert.Empty(_h.ReplicaNodes.Emptied);
        Assert.Contains(await EventsAsync(), e => e.Reason == "StandbysChanged" && e.Message!.StartsWith("standbys 2 → 1", StringComparison.Ordinal));
    }
}
