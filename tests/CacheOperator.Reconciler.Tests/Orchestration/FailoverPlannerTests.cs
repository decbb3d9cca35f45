using CacheOperator.Reconciler.Orchestration;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Tests.Orchestration;

public sealed class FailoverPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A pool written as "P:s0 R:s0 P:s1 S" (one member per ordinal: primary, replica of a shard, standby) and the
    /// pods as "+" ready, "-" not ready for 10 s, "~" not ready for 1 s, "." absent from the input. A ready replica
    /// ("+") tails its primary with no lag; "t" tails 50 entries behind, "h" is Held (its stream broke after it was
    /// in sync, 5 behind), "c" is ready but still copying its first snapshot. "x" is ready by its pod but has failed
    /// the operator's /healthz probe for 10 s, "y" for 1 s (both otherwise like "+"). Replica pulls started at <see cref="PullStart"/>.
    /// </summary>
    private static (MemberAssignment Assignment, Dictionary<string, FailoverPod> Pods) World(string members, string pods)
    {
        var list = members.Split(' ').Select((m, i) =>
        {
            string pod = $"c-default-{i}";
            return m[0] switch
            {
                'P' => new PoolMember(pod, i, MemberRole.Primary, m[2..]),
                'R' => new PoolMember(pod, i, MemberRole.Replica, m[2..]),
                _ => new PoolMember(pod, i, MemberRole.Standby, null),
            };
        }).ToList();
        int shards = list.Count(m => m.Role == MemberRole.Primary);
        int replicas = shards == 0 ? 0 : list.Count(m => m.Role == MemberRole.Replica) / shards;
        var assignment = new MemberAssignment([new PoolAssignment("default", shards, replicas, list.Count(m => m.Role == MemberRole.Standby), list)]);
        var observed = new Dictionary<string, FailoverPod>(StringComparer.Ordinal);
        for (int i = 0; i < pods.Length; i++)
        {
            string pod = $"c-default-{i}";
            switch (pods[i])
            {
                case '+': observed[pod] = new FailoverPod(pod, true, null, Stream: Pull("Tailing", 0)); break;
                case 't': observed[pod] = new FailoverPod(pod, true, null, Stream: Pull("Tailing", 50)); break;
                case 'h': observed[pod] = new FailoverPod(pod, true, null, Stream: Pull("Held", 5)); break;
                case 'c': observed[pod] = new FailoverPod(pod, true, null, Stream: Pull("Snapshot", 900)); break;
                case 'x': observed[pod] = new FailoverPod(pod, true, null, Stream: Pull("Tailing", 0), ProbeFailingSince: Now.AddSeconds(-10)); break;
                case 'y': observed[pod] = new FailoverPod(pod, true, null, Stream: Pull("Tailing", 0), ProbeFailingSince: Now.AddSeconds(-1)); break;
                case '-': observed[pod] = new FailoverPod(pod, false, Now.AddSeconds(-10)); break;
                case '~': observed[pod] = new FailoverPod(pod, false, Now.AddSeconds(-1)); break;
                default: break;
            }
        }

        // Only replicas have streams.
        foreach (var member in list.Where(m => m.Role != MemberRole.Replica && observed.ContainsKey(m.Pod)))
            observed[member.Pod] = observed[member.Pod] with { Stream = null };
        return (assignment, observed);
    }

    private static readonly DateTimeOffset PullStart = Now.AddMinutes(-10).AddMilliseconds(400);

    private static ReplicaPull Pull(string phase, long lag) => new("pull-1", "10.0.0.1", phase, 100, lag, PullStart, null);

    private static string Describe(MemberAssignment assignment) =>
        string.Join(' ', assignment.Pools.Single().Members.OrderBy(m => m.Ordinal).Select(m => m.Role switch
        {
            MemberRole.Primary => $"P:{m.Shard}",
            MemberRole.Replica => $"R:{m.Shard}",
            _ => "S",
        }));

    private static FailoverDecision Plan(string members, string pods, bool enabled = true, bool running = true)
    {
        var (assignment, observed) = World(members, pods);
        return FailoverPlanner.Plan(assignment, observed, new FailoverSettings(enabled, 5, running), Now);
    }

    [Theory]
    // A ready replica is preferred over the standby, and the failed primary becomes a standby.
    [InlineData("P:s0 R:s0 P:s1 R:s1 S", "-++++", "S P:s0 P:s1 R:s1 S", "c-default-1", true)]
    // Without a replica the first ready standby takes the shard.
    [InlineData("P:s0 P:s1 S", "+-+", "P:s0 S P:s1", "c-default-2", false)]
    // A not-ready replica is passed over for a standby.
    [InlineData("P:s0 R:s0 P:s1 S S", "--+++", "S R:s0 P:s1 P:s0 S", "c-default-3", false)]
    // A not-ready standby is passed over for the next one.
    [InlineData("P:s0 P:s1 S S", "+-~+", "P:s0 S S P:s1", "c-default-3", false)]
    // Ready by its pod, failing the operator's probe past the threshold: the standby takes the shard.
    [InlineData("P:s0 P:s1 S", "x++", "S P:s1 P:s0", "c-default-2", false)]
    // Same with a replica: it is promoted.
    [InlineData("P:s0 R:s0 P:s1 R:s1 S", "x++++", "S P:s0 P:s1 R:s1 S", "c-default-1", true)]
    // A standby failing the probe is passed over for one that answers.
    [InlineData("P:s0 P:s1 S S", "x+x+", "S P:s1 S P:s0", "c-default-3", false)]
    // A replica failing the probe is passed over too (its promotion could not be asked): the standby takes the shard.
    [InlineData("P:s0 R:s0 P:s1 S", "xx++", "S R:s0 P:s1 P:s0", "c-default-3", false)]
    public void FailedPrimary_IsReplacedBySuccessor(string members, string pods, string expected, string successor, bool fromReplica)
    {
        var decision = Plan(members, pods);

        Assert.Equal(expected, Describe(decision.Assignment));
        var step = Assert.Single(decision.Steps);
        Assert.Equal(successor, step.NewPrimary);

        // The step names the signal: the probe only for a primary whose pod still says Ready.
        Assert.Equal(pods[0] == 'x', step.ProbeFailed);
        Assert.Equal(fromReplica, step.FromReplica);
        Assert.Equal(TimeSpan.FromSeconds(10), step.NotReadyFor);
        Assert.Empty(decision.Held);
        Assert.True(decision.Watching);
    }

    [Theory]
    [InlineData("P:s0 P:s1 S", "~++", "not ready for less than the threshold")]
    [InlineData("P:s0 P:s1 S", "+++", "every primary ready")]
    [InlineData("P:s0 R:s0 P:s1 S", "+-++", "only a replica is down")]
    [InlineData("P:s0 P:s1 S", "+.+", "a pod never seen is counted from when the caller first saw it")]
    [InlineData("P:s0 P:s1 S", "y++", "failing the operator's probe for less than the threshold (watched)")]
    [InlineData("P:s0 R:s0 S", "+xx", "only a replica and the standby fail the operator's probe (not watched)")]
    public void NoFailover_WhenNoPrimaryIsPastThreshold(string members, string pods, string why)
    {
        var decision = Plan(members, pods);

        Assert.True(decision.Steps.Count == 0, why);
        Assert.Equal(members, Describe(decision.Assignment));
        Assert.Empty(decision.Held);
        // Watched: a primary not ready, never seen, or failing the probe, all under the threshold.
        var primaryPods = members.Split(' ').Select((m, i) => (m, i)).Where(t => t.m.StartsWith('P')).Select(t => pods[t.i]);
        Assert.Equal(primaryPods.Any(c => c is '~' or 'y' or '.'), decision.Watching);
    }

    [Fact]
    public void NoReadyReplicaOrStandby_HoldsTheShardAndSaysSo()
    {
        var decision = Plan("P:s0 P:s1 P:s2 S", "+-+-");

        Assert.Empty(decision.Steps);
        Assert.Equal("P:s0 P:s1 P:s2 S", Describe(decision.Assignment));
        Assert.Contains("shard s1", Assert.Single(decision.Held), StringComparison.Ordinal);
        Assert.False(decision.Suspended);
    }

    [Theory]
    [InlineData("P:s0 P:s1 P:s2 S S", "--+-+", true)]  // 2 of 5 ready: less than half
    [InlineData("P:s0 P:s1 S S", "--++", false)]       // 2 of 4 ready: exactly half is enough
    public void SafetyBound_SuspendsFailoverBelowHalfReady(string members, string pods, bool suspended)
    {
        var decision = Plan(members, pods);

        Assert.Equal(suspended, decision.Suspended);
        if (suspended)
        {
            Assert.Empty(decision.Steps);
            Assert.Contains("suspended", Assert.Single(decision.Held), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(2, decision.Steps.Count);
            Assert.Equal("S S P:s0 P:s1", Describe(decision.Assignment));
        }
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void DisabledOrNeverRunning_DoesNothing(bool enabled, bool running)
    {
        var decision = Plan("P:s0 P:s1 S", "+-+", enabled, running);

        Assert.Empty(decision.Steps);
        Assert.Empty(decision.Held);
        Assert.False(decision.Watching);
    }

    [Fact]
    public void StoredDecision_WithTheSamePods_IsNotRepeated()
    {
        var (assignment, pods) = World("P:s0 P:s1 S", "+-+");
        var settings = new FailoverSettings(true, 5, true);
        var first = FailoverPlanner.Plan(assignment, pods, settings, Now);

        // What the next reconcile (or a restarted operator) reads back from members.json.
        var stored = MemberAssignment.TryParse(first.Assignment.ToJson())!;
        var second = FailoverPlanner.Plan(stored, pods, settings, Now.AddSeconds(30));

        Assert.Single(first.Steps);
        Assert.Empty(second.Steps);
        Assert.Equal(first.Assignment.ToJson(), second.Assignment.ToJson());
        Assert.False(second.Watching);
    }

    [Fact]
    public void RecoveredPod_StaysAStandby()
    {
        var (assignment, pods) = World("P:s0 P:s1 S", "+-+");
        var settings = new FailoverSettings(true, 5, true);
        var stored = FailoverPlanner.Plan(assignment, pods, settings, Now).Assignment;
        pods["c-default-1"] = new FailoverPod("c-default-1", true, null);

        var decision = FailoverPlanner.Plan(stored, pods, settings, Now.AddSeconds(60));

        Assert.Equal("P:s0 S P:s1", Describe(decision.Assignment));
        Assert.Empty(decision.Steps);
    }

    [Fact]
    public void TwoFailedPrimaries_TakeDistinctStandbys()
    {
        var decision = Plan("P:s0 P:s1 P:s2 S S", "--+++");

        Assert.Equal("S S P:s2 P:s0 P:s1", Describe(decision.Assignment));
        Assert.Equal(["c-default-3", "c-default-4"], decision.Steps.Select(s => s.NewPrimary));
    }

    [Theory]
    // Still copying its first snapshot: not a whole copy, so the standby takes the shard (empty) and the replica stays.
    [InlineData("P:s0 R:s0 S", "-c+", "S R:s0 P:s0", "c-default-2", false)]
    // Held since its stream broke: a whole copy up to its lag, promoted.
    [InlineData("P:s0 R:s0 S", "-h+", "S P:s0 S", "c-default-1", true)]
    // The least behind of two tailing replicas.
    [InlineData("P:s0 R:s0 R:s0 S", "-t++", "S R:s0 P:s0 S", "c-default-2", true)]
    public void OnlyAReplicaWithAWholeCopy_IsPromoted_LeastBehindFirst(string members, string pods, string expected, string successor, bool fromReplica)
    {
        var decision = Plan(members, pods);

        Assert.Equal(expected, Describe(decision.Assignment));
        var step = Assert.Single(decision.Steps);
        Assert.Equal((successor, fromReplica), (step.NewPrimary, step.FromReplica));
    }

    [Fact]
    public void FailedPrimary_BecomesAStandbyToEmpty_AndSuchAStandbyNeverTakesAShard()
    {
        var first = Plan("P:s0 P:s1 S", "+-+");
        var failed = first.Assignment.Pools.Single().Members.Single(m => m.Pod == "c-default-1");
        Assert.Equal((MemberRole.Standby, true), (failed.Role, failed.ToEmpty));
        Assert.Contains("\"toEmpty\":true", first.Assignment.ToJson(), StringComparison.Ordinal);
        Assert.True(first.Changed);

        // It recovers, then the other primary fails before its cache was emptied: the stale standby is passed over.
        var (_, pods) = World("P:s0 P:s1 S", "-++");
        var second = FailoverPlanner.Plan(MemberAssignment.TryParse(first.Assignment.ToJson())!, pods, new FailoverSettings(true, 5, true), Now);
        Assert.Empty(second.Steps);
        Assert.Contains("no ready replica or standby", Assert.Single(second.Held), StringComparison.Ordinal);
    }

    [Theory]
    // Restarted (its process started) after the replica began copying it: roles swap at once, ready or not.
    [InlineData("+", 5, true)]
    [InlineData("~", 5, true)]
    // Started before the pull began (the normal order), or in the same second (Kubernetes' times are whole seconds).
    [InlineData("+", -5, false)]
    [InlineData("+", 0, false)]
    public void PrimaryRestartedAfterItsReplicaCopiedIt_IsReplacedByTheReplica_AndBecomesItsReplica(string primary, int restartedSecondsAfterPull, bool swapped)
    {
        var (assignment, pods) = World("P:s0 R:s0 P:s1 S", primary + "h++");
        var restarted = DateTimeOffset.FromUnixTimeSeconds(PullStart.ToUnixTimeSeconds() + restartedSecondsAfterPull);
        pods["c-default-0"] = pods["c-default-0"] with { ProcessChangedAt = restarted, IP = "10.0.0.1" };

        var decision = FailoverPlanner.Plan(assignment, pods, new FailoverSettings(true, 5, true), Now);

        if (!swapped)
        {
            Assert.Empty(decision.Steps);
            Assert.Equal("P:s0 R:s0 P:s1 S", Describe(decision.Assignment));
            return;
        }

        Assert.Equal("R:s0 P:s0 P:s1 S", Describe(decision.Assignment));
        var step = Assert.Single(decision.Steps);
        Assert.Equal(("c-default-0", "c-default-1", true, true), (step.FailedPod, step.NewPrimary, step.FromReplica, step.Restarted));
        Assert.Null(decision.Assignment.Pools.Single().Members[0].ToEmpty);
    }

    [Theory]
    // The replica still pulls from the former primary (a member at that address, demoted by a switchover and not yet
    // left): its pull began before the new primary's pod was made, which is no restart of the new primary.
    [InlineData("10.0.0.1", false)]
    // It pulls from the primary's own address, or from one no member has (the primary's pod recreated with a new IP).
    [InlineData("10.0.0.2", true)]
    [InlineData("10.0.0.9", true)]
    public void PrimaryMadeAfterAReplicasPullBegan_CountsAsRestarted_OnlyWhenThatPullCopiesIt(string source, bool swapped)
    {
        var (assignment, pods) = World("R:s0 P:s0 R:s0 S", "++++");
        pods["c-default-0"] = pods["c-default-0"] with { Stream = null, IP = "10.0.0.1" };
        pods["c-default-1"] = pods["c-default-1"] with { ProcessChangedAt = PullStart.AddSeconds(5), IP = "10.0.0.2" };
        pods["c-default-2"] = pods["c-default-2"] with { Stream = pods["c-default-2"].Stream! with { SourceIP = source }, IP = "10.0.0.3" };

        var decision = FailoverPlanner.Plan(assignment, pods, new FailoverSettings(true, 5, true), Now);

        Assert.Equal(swapped ? "R:s0 R:s0 P:s0 S" : "R:s0 P:s0 R:s0 S", Describe(decision.Assignment));
        Assert.Equal(swapped, decision.Steps is [{ Restarted: true, FailedPod: "c-default-1", NewPrimary: "c-default-2" }]);
    }

    [Fact]
    public void PrimaryRestarted_WithOnlyAReplicaStillCopying_IsLeftAlone()
    {
        var (assignment, pods) = World("P:s0 R:s0 S", "+c+");
        pods["c-default-0"] = pods["c-default-0"] with { ProcessChangedAt = Now };

        var decision = FailoverPlanner.Plan(assignment, pods, new FailoverSettings(true, 5, true), Now);

        Assert.Empty(decision.Steps);
        Assert.False(decision.Changed);
    }

    [Theory]
    // Every pod Ready by Kubernetes, but the operator reaches only one of four: the likelier cause is the operator's
    // own partition, and the standby it cannot reach must not get the shards.
    [InlineData("P:s0 P:s1 S S", "xxx+", true)]
    // Two of four answer: exactly half is enough, and the one answering standby takes the failed shard.
    [InlineData("P:s0 P:s1 S S", "x+x+", false)]
    // A not-Ready primary with most of the rest failing the probe: suspended as well.
    [InlineData("P:s0 P:s1 P:s2 S S", "-x+x+", true)]
    public void SafetyBound_CountsPodsFailingTheProbeAsNotReady(string members, string pods, bool suspended)
    {
        var decision = Plan(members, pods);

        Assert.Equal(suspended, decision.Suspended);
        if (suspended)
        {
            Assert.Empty(decision.Steps);
            Assert.Contains("answer the operator's probe", Assert.Single(decision.Held), StringComparison.Ordinal);
        }
        else
        {
            Assert.NotEmpty(decision.Steps);
        }
    }
}
