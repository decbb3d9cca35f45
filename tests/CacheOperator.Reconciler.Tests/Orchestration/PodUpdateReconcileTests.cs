using System.Globalization;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>
/// Pod updates driven by the reconcile loop over the in-memory API: the test plays the StatefulSet controller with
/// UpdateStrategy OnDelete (status.updateRevision, each pod's controller-revision-hash, a deleted pod recreated at
/// the update revision with a new IP) and the kubelet; nodes and routers are fakes.
/// </summary>
public sealed class PodUpdateReconcileTests
{
    // Pods 0-4: P:s0 R:s0 P:s1 R:s1 S, pod i at 10.1.0.(i+1).
    private const string TwoCopies = """{"shards":2,"replicasPerShard":2,"standbys":1,"memory":"64Mi","router":{"replicas":1},"failover":{"notReadyThresholdSeconds":5}}""";
    private const string ThreeCopies = """{"shards":1,"replicasPerShard":3,"standbys":1,"memory":"64Mi","router":{"replicas":1},"failover":{"notReadyThresholdSeconds":5}}""";
    private const string OneCopy = """{"shards":2,"standbys":1,"memory":"64Mi","router":{"replicas":1},"failover":{"notReadyThresholdSeconds":5}}""";
    private const string Old = "demo-default-old";
    private const string New = "demo-default-new";

    private readonly FakeNodeAdmin _warmUps = new();
    private readonly ReconcileHarness _h;

    /// <summary>
    /// Kubernetes' and the nodes' clock (pod creation, pull start), a second on per reconcile as in a real cluster,
    /// where reconciles are seconds apart: failover compares the two in whole seconds, so a run must not depend on
    /// whether the wall clock happens to cross a second between two reconciles.
    /// </summary>
    private readonly ManualTime _clock = new(DateTimeOffset.UtcNow);

    private string _revision = Old;
    private int _generation;

    /// <summary>Pods deleted by the operator, in order.</summary>
    private readonly List<string> _deleted = [];

    public PodUpdateReconcileTests()
    {
        _h = new ReconcileHarness(nodes: _warmUps, apiTime: _clock);
        _h.Reconciler.Failover.Nodes = _h.ReplicaNodes;
        _h.ReplicaNodes.Clock = _clock.GetUtcNow;
    }

    private async Task RunningAsync(string spec)
    {
        await _h.CreateAsync("demo", spec);
        await _h.ReconcileAsync("demo");
        await _h.RunPodsAsync("demo-default", "10.1.0");
        await _h.RunRouterPodsAsync("demo-router", "10.2.0");
        await ControllerAsync();
        await _h.ConvergeAsync("demo");
        await _h.ConvergeAsync("demo");
        var status = (await _h.ClusterAsync("demo")).Status!;
        Assert.Equal(ClusterPhases.Running, status.Phase);
        Assert.Equal("Converged", Conditions.Find(status.Conditions, ConditionTypes.Progressing)!.Reason);
    }

    /// <summary>The StatefulSet controller: status at the current revision, every existing pod labelled (first time only).</summary>
    private async Task ControllerAsync()
    {
        var set = (await _h.GetAsync<StatefulSet>("demo-default"))!;
        set.Status ??= new StatefulSetStatus();
        set.Status.UpdateRevision = _revision;
        set.Status.ObservedGeneration = set.Metadata.Generation;
        await _h.Api.ReplaceStatusAsync(set);
        foreach (var pod in (await _h.Api.ListAsync<Pod>(ReconcileHarness.Ns)).Items.Where(p => p.Metadata.Name!.StartsWith("demo-default-", StringComparison.Ordinal)))
        {
            if (pod.Metadata.Labels!.ContainsKey(PodUpdater.RevisionLabel))
                continue;
            pod.Metadata.Labels[PodUpdater.RevisionLabel] = _revision;
            await _h.Api.ReplaceAsync(pod);
        }
    }

    /// <summary>A template change: the controller's update revision moves; no pod is touched by it (OnDelete).</summary>
    private async Task ChangeTemplateAsync()
    {
        _revision = New;
        await ControllerAsync();
    }

    /// <summary>A deleted pod comes back at the update revision with a new IP, ready or not.</summary>
    private async Task RecreateAsync(string pod, bool ready)
    {
        var set = (await _h.GetAsync<StatefulSet>("demo-default"))!;
        var labels = new Dictionary<string, string>(set.Spec.Template.Metadata!.Labels!) { [PodUpdater.RevisionLabel] = _revision };
        int ordinal = int.Parse(pod["demo-default-".Length..], CultureInfo.InvariantCulture);
        _generation++;
        await _h.Api.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = pod, Namespace = ReconcileHarness.Ns, Labels = labels },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "x" }] },
        });
        await _h.RunPodAsync(pod, labels, $"10.1.{_generation}.{ordinal + 1}", ready);
    }

    private async Task<string?> IPOfAsync(string pod) => (await _h.GetAsync<Pod>(pod))?.Status?.PodIP;

    private async Task<(CacheRing Ring, PoolAssignment Pool)> RingAsync()
    {
        var (ring, members) = await FailoverReconcileTests.RingAsync(_h);
        return (ring, members.Find("default")!);
    }

    private static string Layout(PoolAssignment pool) => PoolLayouts.Describe(pool).Replace("shard-", "s", StringComparison.Ordinal);

    private async Task<IReadOnlyList<Event>> EventsAsync() => [.. (await _h.Api.ListAsync<Event>(ReconcileHarness.Ns)).Items];

    private async Task<Condition> ProgressingAsync() => Conditions.Find((await _h.ClusterAsync("demo")).Status!.Conditions, ConditionTypes.Progressing)!;

    /// <summary>The pod the first of at most this many reconciles deletes; null when none does.</summary>
    private async Task<string?> NextDeletedAsync(int reconciles)
    {
        string? next = null;
        for (int i = 0; i < reconciles && next is null; i++)
            next = await StepAsync();
        return next;
    }

    /// <summary>
    /// One reconcile, a second after the last, checked: at most one pod is deleted, and only one that no ring a router
    /// serves lists as a copy, of a shard whose primary (another pod) is Ready. The deleted pod comes back at once
    /// (ready or not) unless told.
    /// </summary>
    private async Task<string?> StepAsync(bool recreate = true, bool readyAtOnce = true)
    {
        _clock.Advance(TimeSpan.FromSeconds(1));
        var before = (await _h.Api.ListAsync<Pod>(ReconcileHarness.Ns)).Items.Where(p => p.Metadata.Name!.StartsWith("demo-default-", StringComparison.Ordinal))
            .ToDictionary(p => p.Metadata.Name!, p => p.Status?.PodIP);
        await _h.ReconcileAsync("demo");
        await ControllerAsync();
        var after = (await _h.Api.ListAsync<Pod>(ReconcileHarness.Ns)).Items.Select(p => p.Metadata.Name!).ToHashSet();
        var gone = before.Keys.Where(p => !after.Contains(p)).ToList();
        Assert.True(gone.Count <= 1, $"more than one pod deleted in one reconcile: {string.Join(", ", gone)}");
        if (gone.Count == 0)
            return null;

        string deleted = gone[0];
        var (ring, pool) = await RingAsync();
        Assert.All(_h.Routers.Served.Values, v => Assert.Equal(ring.Version, v));
        // A shard with replicas keeps a whole copy: its primary, another pod, still there. One without replicas (its
        // primary is the pod deleted) goes cold, as any restart of that pod would make it.
        var member = pool.Members.Single(m => m.Pod == deleted);
        if (member.Shard is not null && pool.Members.Count(m => m.Shard == member.Shard) > 1)
        {
            Assert.DoesNotContain(ring.Default.Shards.SelectMany(s => s.Replicas.Prepend(s.Primary)), a => a.Host == before[deleted]);
            var primary = pool.Members.Single(m => m.Role == MemberRole.Primary && m.Shard == member.Shard);
            Assert.NotEqual(deleted, primary.Pod);
            Assert.Contains(primary.Pod, after);
        }

        _deleted.Add(deleted);
        if (recreate)
            await RecreateAsync(deleted, readyAtOnce);
        return deleted;
    }

    private async Task UntilUpdatedAsync(int rounds = 40)
    {
        for (int i = 0; i < rounds; i++)
        {
            await StepAsync();
            if ((await ProgressingAsync()).Reason != PodUpdater.ReasonUpdatingPods && _deleted.Count > 0)
                return;
        }

        throw new InvalidOperationException($"not done: {(await ProgressingAsync()).Message}");
    }

    /// <summary>Reconciles until a replica is promoted for a handover; no pod is deleted meanwhile.</summary>
    private async Task UntilPromotedAsync()
    {
        for (int i = 0; i < 4 && _h.ReplicaNodes.Promoted.IsEmpty; i++)
            Assert.Null(await StepAsync());
        Assert.Single(_h.ReplicaNodes.Promoted);
    }

    [Fact]
    public async Task TemplateChange_UpdatesStandbysThenReplicasThenPrimaries_HighestFirst_OnePodAtATime_NoShardEverWithoutAWholeCopy()
    {
        await RunningAsync(TwoCopies);
        Assert.Equal("OnDelete", (await _h.GetAsync<StatefulSet>("demo-default"))!.Spec.UpdateStrategy!.Type);
        for (int i = 0; i < 3; i++)
            Assert.Null(await StepAsync());

        await ChangeTemplateAsync();
        await UntilUpdatedAsync();

        // Pods 2 and 0 were primaries: each handed its shard to its replica (already updated) before its deletion.
        Assert.Equal(["demo-default-4", "demo-default-3", "demo-default-1", "demo-default-2", "demo-default-0"], _deleted);
        var (_, pool) = await RingAsync();
        Assert.Equal("R:s0 P:s0 R:s1 P:s1 S", Layout(pool));
        Assert.All((await _h.Api.ListAsync<Pod>(ReconcileHarness.Ns)).Items.Where(p => p.Metadata.Name!.StartsWith("demo-default-", StringComparison.Ordinal)),
            p => Assert.Equal(New, p.Metadata.Labels![PodUpdater.RevisionLabel]));
        var events = await EventsAsync();
        Assert.Equal(5, events.Count(e => e.Reason == "PodUpdateStarted"));
        Assert.Equal(2, events.Count(e => e.Reason == "PodUpdateHandover"));
        Assert.Single(events, e => e.Reason == "PodsUpdated");
        Assert.All((await _h.ClusterAsync("demo")).Status!.Members!.Where(m => m.Role == MemberRoles.Replica), m => Assert.Equal(ReplicaPhases.Tailing, m.Replication));
        Assert.Equal(5, _h.Metrics.Counter(CacheOperator.Reconciler.Reconcile.ReconcilerMetrics.PodUpdatesTotal, CacheOperator.Reconciler.Reconcile.ReconcilerMetrics.PodUpdatesHelp).Value);

        // Converged: nothing more is deleted.
        for (int i = 0; i < 3; i++)
            Assert.Null(await StepAsync());
    }

    [Fact]
    public async Task TheNextPod_WaitsForTheRecreatedPodToBeReady_AndForItsReplicaStreamToTail()
    {
        await RunningAsync(TwoCopies);
        await ChangeTemplateAsync();
        string? first = null;
        for (int i = 0; i < 5 && first is null; i++)
            first = await StepAsync(readyAtOnce: false);
        Assert.Equal("demo-default-4", first);

        // The standby is back but not Ready: nothing else moves, and status says what it waits for.
        for (int i = 0; i < 3; i++)
            Assert.Null(await StepAsync());
        var progressing = await ProgressingAsync();
        Assert.Equal((PodUpdater.ReasonUpdatingPods, "True"), (progressing.Reason, progressing.Status));
        Assert.Contains("updating pods to revision demo-default-new: 1/5 updated; next demo-default-3 once demo-default-4 is Ready", progressing.Message, StringComparison.Ordinal);

        // Ready: the next pod, shard-1's replica, first leaves the ring, then is deleted once the router serves that ring.
        await _h.RunPodAsync("demo-default-4", (await _h.GetAsync<Pod>("demo-default-4"))!.Metadata.Labels!, await IPOfAsync("demo-default-4"), ready: true);
        _h.ReplicaNodes.NewPullPhase = "Snapshot";
        string? second = null;
        for (int i = 0; i < 4 && second is null; i++)
            second = await StepAsync();
        Assert.Equal("demo-default-3", second);

        // Its new pod is Ready and copying: the next waits for the copy to tail.
        for (int i = 0; i < 3; i++)
            Assert.Null(await StepAsync());
        Assert.Contains("next demo-default-1 once demo-default-3's replica stream tails", (await ProgressingAsync()).Message, StringComparison.Ordinal);
        Assert.Equal("Snapshot", (await _h.ClusterAsync("demo")).Status!.Members!.Single(m => m.Name == "demo-default-3").Replication);

        _h.ReplicaNodes.Set((await IPOfAsync("demo-default-3"))!, ReplicaPhases.Tailing);
        _h.ReplicaNodes.NewPullPhase = ReplicaPhases.Tailing;
        string? third = null;
        for (int i = 0; i < 4 && third is null; i++)
            third = await StepAsync();
        Assert.Equal("demo-default-1", third);
    }

    [Fact]
    public async Task APodStillTerminating_IsWaitedFor_NothingElseIsDeleted()
    {
        await RunningAsync(TwoCopies);
        var standby = (await _h.GetAsync<Pod>("demo-default-4"))!;
        standby.Metadata.Finalizers = ["example.test/hold"];
        await _h.Api.ReplaceAsync(standby);
        await ChangeTemplateAsync();

        // Deleted, but held terminating by the finalizer (as a pod in its grace period): nothing else moves.
        await _h.ReconcileAsync("demo");
        Assert.NotNull((await _h.GetAsync<Pod>("demo-default-4"))!.Metadata.DeletionTimestamp);
        for (int i = 0; i < 3; i++)
            Assert.Null(await StepAsync());
        Assert.Contains("0/5 updated; demo-default-4 is being deleted", (await ProgressingAsync()).Message, StringComparison.Ordinal);

        standby = (await _h.GetAsync<Pod>("demo-default-4"))!;
        standby.Metadata.Finalizers = null;
        await _h.Api.ReplaceAsync(standby);
        Assert.Null(await _h.GetAsync<Pod>("demo-default-4"));
        await RecreateAsync("demo-default-4", ready: true);
        Assert.Equal("demo-default-3", await NextDeletedAsync(reconciles: 4));
    }

    [Fact]
    public async Task AReplica_LeavesTheRingFirst_AndIsDeletedOnlyOnceEveryRouterServesTheRingWithoutIt()
    {
        await RunningAsync(TwoCopies);
        await ChangeTemplateAsync();
        Assert.Equal("demo-default-4", await StepAsync());
        _h.Routers.Down["10.2.0.1"] = true;

        // Pod 3 leaves the ring in the next reconcile; the router does not answer, so it stays.
        for (int i = 0; i < 3; i++)
            Assert.Null(await StepAsync());
        var (ring, _) = await RingAsync();
        Assert.Empty(ring.Default.Shards[1].Replicas);
        Assert.Equal(ReplicaPhases.LeavingForUpdate, (await _h.ClusterAsync("demo")).Status!.Members!.Single(m => m.Name == "demo-default-3").Replication);
        Assert.NotEmpty(_h.ReplicaNodes.On("10.1.0.4"));
        Assert.Contains("next demo-default-3 once every router serves the stored ring", (await ProgressingAsync()).Message, StringComparison.Ordinal);

        _h.Routers.Down.TryRemove("10.2.0.1", out _);
        Assert.Equal("demo-default-3", await NextDeletedAsync(reconciles: 3));
    }

    [Fact]
    public async Task APrimaryWithATailingReplica_HandsItsShardOver_ThenIsDeletedAsAReplica_OnceTheRouterServesThatRing()
    {
        await RunningAsync(TwoCopies);
        await ChangeTemplateAsync();
        while (_deleted.Count < 3)
            await StepAsync();
        var (before, _) = await RingAsync();

        // Once pod 1's new copy tails, a reconcile promotes shard-1's replica (pod 3, updated) and makes pod 2 its
        // replica: nothing deleted.
        await UntilPromotedAsync();
        string promotedIP = (await IPOfAsync("demo-default-3"))!;
        Assert.Equal([promotedIP], _h.ReplicaNodes.Promoted);
        var (ring, pool) = await RingAsync();
        Assert.Equal("P:s0 R:s0 R:s1 P:s1 S", Layout(pool));
        Assert.Equal(promotedIP, ring.Default.Shards[1].Primary.Host);
        Assert.Empty(ring.Default.Shards[1].Replicas);
        Assert.True(ring.Version > before.Version);
        var handover = Assert.Single(await EventsAsync(), e => e.Reason == "PodUpdateHandover");
        Assert.Contains("demo-default-2 (primary of shard-1)", handover.Message, StringComparison.Ordinal);

        // The demoted primary keeps its data (no pull is started on it) and stays while the router may be on the old
        // ring (it restarted with it and does not answer).
        _h.Routers.Served["10.2.0.1"] = before.Version;
        _h.Routers.Down["10.2.0.1"] = true;
        for (int i = 0; i < 3; i++)
            Assert.Null(await StepAsync());
        Assert.Empty(_h.ReplicaNodes.On("10.1.0.3"));
        Assert.DoesNotContain(_h.ReplicaNodes.Starts, s => s.Replica == "10.1.0.3");

        _h.Routers.Down.TryRemove("10.2.0.1", out _);
        Assert.Equal("demo-default-2", await NextDeletedAsync(reconciles: 3));

        // It comes back as shard-1's replica and copies it from the new primary.
        await StepAsync();
        string newIP = (await IPOfAsync("demo-default-2"))!;
        Assert.Contains((newIP, promotedIP), _h.ReplicaNodes.Starts);
        Assert.Equal("R:s1", Layout((await RingAsync()).Pool).Split(' ')[2]);
    }

    [Fact]
    public async Task AfterAHandover_TheOldPrimaryStays_UntilTheShardsOtherReplicaCopiesTheNewPrimary()
    {
        // Pods 0-3: P:s0 R:s0 R:s0 S.
        await RunningAsync(ThreeCopies);
        await ChangeTemplateAsync();
        while (_deleted.Count < 3)
            await StepAsync();
        Assert.Equal(["demo-default-3", "demo-default-2", "demo-default-1"], _deleted);

        // Pod 1 takes shard-0; pod 2 streamed from pod 0, so it copies pod 1 afresh (first leaving the ring: its new
        // pull starts in a later reconcile), and pod 0 waits for that copy.
        await UntilPromotedAsync();
        _h.ReplicaNodes.NewPullPhase = "Snapshot";
        Assert.Equal("R:s0 P:s0 R:s0 S", Layout((await RingAsync()).Pool));
        string pod1 = (await IPOfAsync("demo-default-1"))!, pod2 = (await IPOfAsync("demo-default-2"))!;
        for (int i = 0; i < 4; i++)
            Assert.Null(await StepAsync());
        Assert.Equal(pod1, Assert.Single(_h.ReplicaNodes.On(pod2)).SourceIP);
        Assert.Contains("demo-default-2's replica stream tails", (await ProgressingAsync()).Message, StringComparison.Ordinal);

        _h.ReplicaNodes.Set(pod2, ReplicaPhases.Tailing);
        _h.ReplicaNodes.NewPullPhase = ReplicaPhases.Tailing;
        await UntilUpdatedAsync();
        Assert.Equal(["demo-default-3", "demo-default-2", "demo-default-1", "demo-default-0"], _deleted);
    }

    [Fact]
    public async Task APrimaryWithoutReplicas_IsDeletedLast_AndTheEventSaysItsKeysGoCold()
    {
        await RunningAsync(OneCopy);
        await ChangeTemplateAsync();
        await UntilUpdatedAsync();

        Assert.Equal(["demo-default-2", "demo-default-1", "demo-default-0"], _deleted);
        Assert.Empty(_h.ReplicaNodes.Promoted);
        var cold = (await EventsAsync()).Where(e => e.Reason == "PodUpdateStarted" && e.Type == "Warning").Select(e => e.Message).ToList();
        Assert.Equal(2, cold.Count);
        Assert.All(cold, m => Assert.Contains("has no replica, so its keys go cold", m, StringComparison.Ordinal));
        Assert.Equal("P:s0 P:s1 S", Layout((await RingAsync()).Pool));
    }

    [Fact]
    public async Task NothingIsDeleted_WhileAPrimaryIsNotReady_OrAScaleOperationRuns()
    {
        await RunningAsync(TwoCopies);
        await ChangeTemplateAsync();

        // A primary not Ready (under the failover threshold): failover watches, the update waits.
        await FailoverReconcileTests.NotReadyForAsync(_h, "demo-default-0", TimeSpan.FromSeconds(1));
        for (int i = 0; i < 3; i++)
            Assert.Null(await StepAsync());
        Assert.Contains("next demo-default-4 once failover settles", (await ProgressingAsync()).Message, StringComparison.Ordinal);
        await _h.RunPodAsync("demo-default-0", (await _h.GetAsync<Pod>("demo-default-0"))!.Metadata.Labels!, "10.1.0.1", ready: true);

        // A scale-out 2 → 3 whose new pods never start: the operation stays active and no pod is deleted.
        var cluster = await _h.ClusterAsync("demo");
        cluster.Spec.Shards = 3;
        await _h.Api.ReplaceAsync(cluster);
        for (int i = 0; i < 5; i++)
            Assert.Null(await StepAsync());
        Assert.Equal("ScalingOut", (await ProgressingAsync()).Reason);
        Assert.Empty(_deleted);
    }

    [Fact]
    public async Task AnOperatorRestartedMidUpdate_ResumesFromThePodsRevisions()
    {
        await RunningAsync(TwoCopies);
        await ChangeTemplateAsync();
        while (_deleted.Count < 2)
            await StepAsync();

        _h.RestartOperator();
        _h.Reconciler.Failover.Nodes = _h.ReplicaNodes;
        _h.Reconciler.Replicas.Nodes = _h.ReplicaNodes;
        await UntilUpdatedAsync();
        Assert.Equal(["demo-default-4", "demo-default-3", "demo-default-1", "demo-default-2", "demo-default-0"], _deleted);
        Assert.Equal("R:s0 P:s0 R:s1 P:s1 S", Layout((await RingAsync()).Pool));
    }

    [Fact]
    public async Task AnOperatorRestartedBetweenTheHandoverAndTheDeletion_DeletesTheDemotedPrimary()
    {
        await RunningAsync(TwoCopies);
        await ChangeTemplateAsync();
        while (_deleted.Count < 3)
            await StepAsync();
        await UntilPromotedAsync();
        _h.Routers.Down["10.2.0.1"] = true;
        Assert.Null(await StepAsync());

        _h.RestartOperator();
        _h.Reconciler.Failover.Nodes = _h.ReplicaNodes;
        _h.Reconciler.Replicas.Nodes = _h.ReplicaNodes;
        _h.Routers.Down.TryRemove("10.2.0.1", out _);
        Assert.Equal("demo-default-2", await NextDeletedAsync(reconciles: 3));
        Assert.Single(_h.ReplicaNodes.Promoted);
    }
}
