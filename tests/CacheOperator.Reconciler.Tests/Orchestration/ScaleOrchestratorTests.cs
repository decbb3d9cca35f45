using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>The scale state machine alone: steps over stored state, with fake nodes and a clock the test sets.</summary>
public sealed class ScaleOrchestratorTests
{
    private static readonly ClusterNames Names = new("demo", "ns1");
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeNodeAdmin _nodes = new();
    private readonly FakeRouterAdmin _routers = new();

    private static PoolTopology Pool(int shards) => new("default", [], shards, 1, 0);

    private static Dictionary<string, ObservedPod> Pods(int count, params string[] notReady) =>
        Enumerable.Range(0, count).Select(i => new ObservedPod($"demo-default-{i}", $"10.1.0.{i + 1}", !notReady.Contains($"demo-default-{i}")))
            .ToDictionary(p => p.Name, StringComparer.Ordinal);

    private static RingPlan Planned(int shards, string? members = null, string? ring = null, string? orchestration = null) =>
        RingPlanner.Plan(new RingPlanInput
        {
            Names = Names,
            Pools = [Pool(shards)],
            PreviousMembers = members,
            PreviousRing = ring,
            Orchestration = orchestration,
            PodIPs = Pods(4).ToDictionary(p => p.Key, p => p.Value.IP!, StringComparer.Ordinal),
        });

    /// <summary>One reconcile: a step, then the ring planned from what the step left, as the reconciler stores it.</summary>
    private async Task<(ScaleStep Step, RingPlan Plan)> StepAsync(RingPlan stored, int wanted, DateTimeOffset now, Dictionary<string, ObservedPod> pods, long timeoutSeconds = 600,
        long? bytesPerSecond = null)
    {
        var step = await new ScaleOrchestrator(_nodes, _routers).StepAsync(new ScaleContext
        {
            Names = Names,
            WantedPools = [Pool(wanted)],
            RingJson = stored.RingJson,
            MembersJson = stored.MembersJson,
            OrchestrationJson = stored.OrchestrationJson,
            Pods = pods,
            RouterIPs = ["10.2.0.1"],
            RoutersDesired = 1,
            Token = "t",
            WarmUpTimeout = TimeSpan.FromSeconds(timeoutSeconds),
            WarmUpBytesPerSecond = bytesPerSecond,
            Now = now,
        }, CancellationToken.None);
        return (step, Planned(wanted, step.MembersJson, stored.RingJson, step.OrchestrationJson));
    }

    [Fact]
    public async Task WarmUpRateCap_IsPassedToEveryPull()
    {
        var plan = Planned(2);
        for (var i = 0; i < 3; i++)
            (_, plan) = await StepAsync(plan, 3, T0, Pods(3), bytesPerSecond: 1_000_000);

        Assert.Equal(ScalePhase.WarmingUp, ScaleOperation.TryParse(plan.OrchestrationJson)!.Phase);
        Assert.NotEmpty(_nodes.Caps);
        Assert.All(_nodes.Caps.Values, cap => Assert.Equal(1_000_000, cap));
    }

    [Fact]
    public async Task WarmUpNotCaughtUp_PastTheTimeout_PublishesAnyway_WithAWarning()
    {
        var plan = Planned(2);
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));
        (_, plan) = await StepAsync(plan, 3, T0.AddSeconds(1), Pods(3), timeoutSeconds: 5);
        Assert.Equal(ScalePhase.WarmingUp, ScaleOperation.TryParse(plan.OrchestrationJson)!.Phase);
        Assert.Equal(2, plan.Ring.Default.Table.Shards.Count);

        var (step, published) = await StepAsync(plan, 3, T0.AddSeconds(6), Pods(3), timeoutSeconds: 5);

        Assert.Equal(ScalePhase.Publishing, step.Operation!.Phase);
        var warning = Assert.Single(step.Events);
        Assert.Equal((true, "WarmUpTimedOut"), (warning.Warning, warning.Reason));
        Assert.Equal(3, published.Ring.Default.Table.Shards.Count);
        Assert.Equal(plan.Version + 1, published.Version);
    }

    [Fact]
    public async Task NewPodNotReady_KeepsTheOperationAddingPods_AndNoStreamStarts()
    {
        var plan = Planned(2);
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3, "demo-default-2"));
        var (step, _) = await StepAsync(plan, 3, T0, Pods(3, "demo-default-2"));

        Assert.Equal(ScalePhase.AddingPods, step.Operation!.Phase);
        Assert.Contains("demo-default-2", step.Operation.Message, StringComparison.Ordinal);
        Assert.Empty(_nodes.Pulls);
    }

    [Fact]
    public async Task SourceNotReady_StreamWaits_AndStatusSaysWhichSource()
    {
        var plan = Planned(2);
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));
        var (step, _) = await StepAsync(plan, 3, T0, Pods(3, "demo-default-0"));

        Assert.Equal(ScalePhase.WarmingUp, step.Operation!.Phase);
        Assert.Contains("source demo-default-0 of shard-0 is not ready", step.Operation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_nodes.Pulls["10.1.0.3"], p => p.Source == "10.1.0.1");
    }

    [Fact]
    public async Task ScaleOut_MovesOnlyBucketsToTheNewShard_AboutAThirdOfThem()
    {
        var plan = Planned(2);
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));
        var (step, _) = await StepAsync(plan, 3, T0, Pods(3));

        var transfers = step.Operation!.Transfers;
        Assert.All(transfers, t => Assert.Equal("shard-2", t.ToShard));
        Assert.Equal(["shard-0", "shard-1"], transfers.Select(t => t.FromShard).Order());
        int moved = transfers.Sum(t => t.Buckets.Split(',').Sum(r => r.Split('-') is [var a, var b] ? int.Parse(b, System.Globalization.CultureInfo.InvariantCulture) - int.Parse(a, System.Globalization.CultureInfo.InvariantCulture) + 1 : 1));
        Assert.Equal(16384 / 3, moved);
    }

    [Fact]
    public async Task PullThatGaveUp_IsStartedAgain()
    {
        var plan = Planned(2);
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));
        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));
        var first = _nodes.Pulls["10.1.0.3"].ToList();
        _nodes.GaveUp[first[0].Id] = true;

        (_, plan) = await StepAsync(plan, 3, T0, Pods(3));

        var now = _nodes.Pulls["10.1.0.3"];
        Assert.Equal(first.Count, now.Count);
        Assert.DoesNotContain(now, p => p.Id == first[0].Id);
        Assert.Contains(now, p => p.Buckets == first[0].Buckets);
        Assert.Equal(ScalePhase.WarmingUp, ScaleOperation.TryParse(plan.OrchestrationJson)!.Phase);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 5, 7, 8 }, "0-2,5,7-8")]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new int[0], "")]
    public void Ranges_AreInclusiveAndAscending(int[] buckets, string expected) =>
        Assert.Equal(expected, ScaleOrchestrator.Ranges(buckets));
}
