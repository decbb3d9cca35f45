using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Ring;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Tests;

public class RingPlannerTests
{
    private static readonly ClusterNames Names = new("demo", "ns1");

    private static PoolTopology Default(int shards = 2, int replicas = 1, int standbys = 0) =>
        new("default", [], shards, replicas, standbys);

    private static RingPlanInput Input(params PoolTopology[] pools) => new() { Names = Names, Pools = pools };

    private static RingPlanInput Next(RingPlanInput input, RingPlan previous) =>
        input with { PreviousRing = previous.RingJson, PreviousMembers = previous.MembersJson };

    [Fact]
    public void Initial_AssignsShardRanksByOrdinal_ThenStandbys()
    {
        var pool = RoleAssignment.Initial(Names, Default(shards: 2, replicas: 2, standbys: 1));

        Assert.Equal(
            [
                new PoolMember("demo-default-0", 0, MemberRole.Primary, "shard-0"),
                new PoolMember("demo-default-1", 1, MemberRole.Replica, "shard-0"),
                new PoolMember("demo-default-2", 2, MemberRole.Primary, "shard-1"),
                new PoolMember("demo-default-3", 3, MemberRole.Replica, "shard-1"),
                new PoolMember("demo-default-4", 4, MemberRole.Standby, null),
            ],
            pool.Members);
    }

    [Fact]
    public void FirstPlan_IsVersion1_WithDnsNamesForPodsWithoutIPs_AndParses()
    {
        var plan = RingPlanner.Plan(Input(Default(standbys: 1)));

        Assert.True(plan.Changed);
        Assert.Equal(1, plan.Version);
        var ring = RingDocument.Parse(plan.RingJson);
        Assert.Equal("demo-default-0.demo-nodes.ns1.svc:11211", ring.Default.Shards[0].Primary.ToString());
        Assert.Equal("demo-default-2.demo-nodes.ns1.svc:11211", Assert.Single(ring.Standbys).ToString());
        Assert.Equal(BucketTable.DefaultBucketCount, ring.Default.Table.BucketCount);
        Assert.Empty(plan.PendingChanges);
    }

    [Fact]
    public void SamePlanAgain_IsUnchanged_AndKeepsItsVersion()
    {
        var input = Input(Default()) with { PodIPs = new Dictionary<string, string> { ["demo-default-0"] = "10.0.0.1" } };
        var first = RingPlanner.Plan(input);
        var second = RingPlanner.Plan(Next(input, first));

        Assert.False(second.Changed);
        Assert.Equal(first.Version, second.Version);
        Assert.Equal(first.RingJson, second.RingJson);
        Assert.Equal(first.MembersJson, second.MembersJson);
    }

    [Fact]
    public void PodIPChange_BumpsTheVersion_AndUsesTheNewAddress()
    {
        var input = Input(Default());
        var first = RingPlanner.Plan(input);
        var second = RingPlanner.Plan(Next(input, first) with
        {
            PodIPs = new Dictionary<string, string> { ["demo-default-1"] = "10.0.0.2" },
        });

        Assert.True(second.Changed);
        Assert.Equal(2, second.Version);
        Assert.Equal("10.0.0.2:11211", second.Ring.Default.Shards[1].Primary.ToString());
    }

    [Fact]
    public void TwoPodsReportingOneIP_BothFallBackToDnsNames()
    {
        var plan = RingPlanner.Plan(Input(Default()) with
        {
            PodIPs = new Dictionary<string, string> { ["demo-default-0"] = "10.0.0.9", ["demo-default-1"] = "10.0.0.9" },
        });

        var ring = RingDocument.Parse(plan.RingJson);
        Assert.All(ring.Default.Shards, s => Assert.EndsWith(".demo-nodes.ns1.svc", s.Primary.Host, StringComparison.Ordinal));
    }

    [Fact]
    public void MoreStandbys_AppendsStandbysAtTheNextOrdinals_AndKeepsEveryoneElse()
    {
        var first = RingPlanner.Plan(Input(Default()));
        var second = RingPlanner.Plan(Next(Input(Default(standbys: 2)), first));

        Assert.Empty(second.PendingChanges);
        var pool = Assert.Single(second.Assignment.Pools);
        Assert.Equal(first.Assignment.Pools.Single().Members, pool.Members.Take(2));
        Assert.Equal(
            [new PoolMember("demo-default-2", 2, MemberRole.Standby, null), new PoolMember("demo-default-3", 3, MemberRole.Standby, null)],
            pool.Members.Skip(2));
        Assert.Equal((2, 4), (pool.Standbys, Assert.Single(second.Pools).Members));
        Assert.True(second.Changed);
        Assert.Equal(2, second.Ring.Standbys.Count);
    }

    [Fact]
    public void MoreReplicasPerShard_AppendsOneReplicaPerShardAtTheNextOrdinals_AndKeepsEveryoneElse()
    {
        var first = RingPlanner.Plan(Input(Default(shards: 2, replicas: 2, standbys: 1)));
        var second = RingPlanner.Plan(Next(Input(Default(shards: 2, replicas: 3, standbys: 1)), first));

        Assert.Empty(second.PendingChanges);
        var pool = Assert.Single(second.Assignment.Pools);
        Assert.Equal(3, pool.ReplicasPerShard);
        Assert.Equal(first.Assignment.Pools.Single().Members, pool.Members.Take(5));
        Assert.Equal(
            [
                new PoolMember("demo-default-5", 5, MemberRole.Replica, "shard-0"),
                new PoolMember("demo-default-6", 6, MemberRole.Replica, "shard-1"),
            ],
            pool.Members.Skip(5));
        Assert.Equal(7, Assert.Single(second.Pools).Members);

        // Stored, it is the assignment from then on: nothing more is added.
        var third = RingPlanner.Plan(Next(Input(Default(shards: 2, replicas: 3, standbys: 1)), second));
        Assert.Equal(second.MembersJson, third.MembersJson);
        Assert.False(third.Changed);

        // Served for reads only once their streams tail.
        var copying = RingPlanner.Plan(Next(Input(Default(shards: 2, replicas: 3, standbys: 1)), first) with
        {
            ServingReplicas = new HashSet<string> { "demo-default-1", "demo-default-3" },
        });
        Assert.All(RingDocument.Parse(copying.RingJson).Default.Shards, s => Assert.Single(s.Replicas));
    }

    [Fact]
    public void FewerReplicasPerShard_WhereAShardHasNoCopyAmongTheKeptPods_WaitsForTheScaleStepToCopyItDown_AndTheRingMovesNothing()
    {
        // Shard-1's copies are pods 2 and 3, above the 2 kept: the scale step (not the planner) first makes pod 1 its replica.
        var first = RingPlanner.Plan(Input(Default(shards: 2, replicas: 2)));
        var second = RingPlanner.Plan(Next(Input(Default(shards: 2, replicas: 1)), first));

        Assert.Equal(
            "replicasPerShard 2 → 1 has not started yet (it first copies shard-1 into demo-default-1)",
            Assert.Single(second.PendingChanges));
        Assert.Equal(first.MembersJson, second.MembersJson);
        Assert.Equal(4, Assert.Single(second.Pools).Members);
    }

    [Fact]
    public void FewerStandbys_WhereAShardsRoleSitsAbove_IsRefusedNamingThePod()
    {
        // A failover handed shard-1 to the last standby (ordinal 3).
        var first = RingPlanner.Plan(Input(Default(shards: 2, standbys: 2)));
        var pool = first.Assignment.Pools.Single();
        var moved = new MemberAssignment([pool with
        {
            Members = [pool.Members[0], pool.Members[1] with { Role = MemberRole.Standby, Shard = null }, pool.Members[2], pool.Members[3] with { Role = MemberRole.Primary, Shard = "shard-1" }],
        }]);

        var second = RingPlanner.Plan(Next(Input(Default(shards: 2, standbys: 1)), first) with { PreviousMembers = moved.ToJson() });

        Assert.Equal(
            "standbys 2 → 1 is not supported for this layout: demo-default-3 (primary of shard-1) sits among the pods the StatefulSet would remove (ordinals 3 and up); moving a role down would need a copy first; the cluster keeps 2",
            Assert.Single(second.PendingChanges));
        Assert.Equal(4, Assert.Single(second.Pools).Members);
    }

    [Fact]
    public void RetiringMembers_AreListedNowhereInTheRing()
    {
        var first = RingPlanner.Plan(Input(Default(shards: 2, replicas: 2, standbys: 1)));
        var pool = first.Assignment.Pools.Single();
        var during = ShrinkLayoutPlan(pool);

        var second = RingPlanner.Plan(Next(Input(Default(shards: 2, replicas: 2, standbys: 1)), first) with { PreviousMembers = during.ToJson() });

        Assert.True(second.Changed);
        Assert.All(second.Ring.Default.Shards, s => Assert.Empty(s.Replicas));
        Assert.Empty(second.Ring.Standbys);
        Assert.Equal(5, Assert.Single(second.Pools).Members);
    }

    private static MemberAssignment ShrinkLayoutPlan(PoolAssignment pool) =>
        new([CacheOperator.Reconciler.Orchestration.ShrinkLayout.Plan(pool, 1, 1, new HashSet<string>()).During!]);

    [Fact]
    public void PoolAddedOrRemoved_AfterTheRingExists_IsPending_AndPrefixesStay()
    {
        var popular = new PoolTopology("popular", ["p:"], 1, 1, 0);
        var first = RingPlanner.Plan(Input(Default(), popular));

        var added = RingPlanner.Plan(Next(Input(Default(), popular, new PoolTopology("hot", ["h:"], 1, 1, 0)), first));
        Assert.Equal("pool hot added: adding pools to a running cluster is not supported yet", Assert.Single(added.PendingChanges));
        Assert.Equal(["default", "popular"], added.Pools.Select(p => p.Name));

        var removed = RingPlanner.Plan(Next(Input(Default()), first));
        Assert.Equal("pool popular removed: removing pools from a running cluster is not supported yet", Assert.Single(removed.PendingChanges));
        Assert.Equal(["p:"], removed.Ring.FindPool("popular")!.Prefixes);
        Assert.False(removed.Changed);
    }

    [Fact]
    public void PrefixChange_OfAnExistingPool_IsApplied()
    {
        var input = Input(Default(), new PoolTopology("popular", ["p:"], 1, 1, 0));
        var first = RingPlanner.Plan(input);
        var second = RingPlanner.Plan(Next(Input(Default(), new PoolTopology("popular", ["p:", "q:"], 1, 1, 0)), first));

        Assert.True(second.Changed);
        Assert.Equal(["p:", "q:"], second.Ring.FindPool("popular")!.Prefixes);
        Assert.Empty(second.PendingChanges);
    }

    [Fact]
    public void StoredAssignmentAndTable_WinOverOrdinals()
    {
        var input = Input(Default(shards: 2, replicas: 1, standbys: 1));
        var first = RingPlanner.Plan(input);

        // What the orchestration will do: shard-1 handed to the standby, the old primary now a standby, and a
        // table that is no longer the fresh one.
        var moved = new MemberAssignment(
        [
            new PoolAssignment("default", 2, 1, 1,
            [
                new PoolMember("demo-default-0", 0, MemberRole.Primary, "shard-0"),
                new PoolMember("demo-default-1", 1, MemberRole.Standby, null),
                new PoolMember("demo-default-2", 2, MemberRole.Primary, "shard-1"),
            ]),
        ]);
        var table = BucketTable.Create(["shard-0", "shard-1"], 16);
        var previousRing = new CacheRing(first.Version, [new RingPool("default", [], table, first.Ring.Default.Shards)], "default");
        var second = RingPlanner.Plan(input with { PreviousMembers = moved.ToJson(), PreviousRing = RingDocument.WriteString(previousRing) });

        Assert.Equal(16, second.Ring.Default.Table.BucketCount);
        Assert.StartsWith("demo-default-2.", second.Ring.Default.Shards[1].Primary.Host, StringComparison.Ordinal);
        Assert.StartsWith("demo-default-1.", Assert.Single(second.Ring.Standbys).Host, StringComparison.Ordinal);
        Assert.Equal(first.Version + 1, second.Version);
    }

    [Fact]
    public void ReplicasFollowTheirPrimary_InOrdinalOrder()
    {
        var plan = RingPlanner.Plan(Input(Default(shards: 1, replicas: 3)) with
        {
            PodIPs = new Dictionary<string, string> { ["demo-default-0"] = "10.0.0.1", ["demo-default-1"] = "10.0.0.2", ["demo-default-2"] = "10.0.0.3" },
        });

        var shard = Assert.Single(plan.Ring.Default.Shards);
        Assert.Equal("10.0.0.1:11211", shard.Primary.ToString());
        Assert.Equal(["10.0.0.2:11211", "10.0.0.3:11211"], shard.Replicas.Select(r => r.ToString()));
    }

    [Fact]
    public void Gutter_ListsTheGutterPods_WithTheTtlCap()
    {
        var plan = RingPlanner.Plan(Input(Default()) with { Gutter = new GutterTopology(2, 7) });

        Assert.NotNull(plan.Ring.Gutter);
        Assert.Equal(7, plan.Ring.Gutter.TtlCapSeconds);
        Assert.Equal(["demo-gutter-0.demo-nodes.ns1.svc:11211", "demo-gutter-1.demo-nodes.ns1.svc:11211"],
            plan.Ring.Gutter.Nodes.Select(n => n.ToString()));
    }

    [Fact]
    public void UnreadablePreviousRing_StillRaisesTheVersion()
    {
        var plan = RingPlanner.Plan(Input(Default()) with { PreviousRing = """{"version": 41, "pools": "oops"}""" });

        Assert.Equal(42, plan.Version);
    }

    [Fact]
    public void MembersJson_RoundTrips()
    {
        var plan = RingPlanner.Plan(Input(Default(shards: 2, replicas: 2, standbys: 1)));

        var parsed = MemberAssignment.TryParse(plan.MembersJson);

        Assert.NotNull(parsed);
        Assert.Equal(plan.Assignment.Pools[0].Members, parsed.Pools[0].Members);
        Assert.Contains("\"role\":\"primary\"", plan.MembersJson, StringComparison.Ordinal);
    }
}
