using CacheOperator.Reconciler.Orchestration;
using static CacheOperator.Reconciler.Tests.Orchestration.PoolLayouts;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>
/// Which copies stay when replicasPerShard or standbys is lowered: the StatefulSet keeps ordinals 0 … S·R'+K'−1, so
/// each shard keeps its primary (or a promoted whole replica) and R'−1 replicas there; every other copy retires from
/// the ring ("S~"), and once done the kept ones are standbys to be emptied ("S!") and the rest are gone.
/// </summary>
public sealed class ShrinkLayoutTests
{
    [Theory]
    // Initial layout (shards 2, R 2, standbys 1): shard-0's replica is kept and becomes the standby to empty; shard-1's
    // replica and the old standby are the pods the StatefulSet deletes.
    [InlineData("P:s0 R:s0 P:s1 R:s1 S", 2, 1, 1, "P:s0 S~ P:s1 S~ S~", "c-default-3 c-default-4", "P:s0 S! P:s1")]
    // After raising R 1 → 2 (replicas appended at the end): the appended replicas leave, nothing is demoted.
    [InlineData("P:s0 P:s1 S R:s0 R:s1", 2, 1, 1, "P:s0 P:s1 S S~ S~", "c-default-3 c-default-4", "P:s0 P:s1 S")]
    // After raising R 2 → 3: the third copies (the last ordinals) leave, R 3 → 2.
    [InlineData("P:s0 R:s0 P:s1 R:s1 S R:s0 R:s1", 3, 2, 1, "P:s0 R:s0 P:s1 R:s1 S S~ S~", "c-default-5 c-default-6", "P:s0 R:s0 P:s1 R:s1 S")]
    // R 3 → 1 of one shard without standbys.
    [InlineData("P:s0 R:s0 R:s0", 3, 1, 0, "P:s0 S~ S~", "c-default-1 c-default-2", "P:s0")]
    // Fewer standbys: the highest standbys leave, no copy moves.
    [InlineData("P:s0 P:s1 S S", 1, 1, 1, "P:s0 P:s1 S S~", "c-default-3", "P:s0 P:s1 S")]
    [InlineData("P:s0 R:s0 S S S", 2, 2, 0, "P:s0 R:s0 S~ S~ S~", "c-default-2 c-default-3 c-default-4", "P:s0 R:s0")]
    public void Lowering_KeepsEachShardsLowestCopies_AndRetiresTheRest(
        string members, int replicasPerShard, int toReplicas, int toStandbys, string during, string leaving, string after)
    {
        var pool = Pool(members, replicasPerShard);

        var plan = ShrinkLayout.Plan(pool, toReplicas, toStandbys, new HashSet<string>());

        Assert.Null(plan.Refusal);
        Assert.Empty(plan.Promotions);
        Assert.Equal(during, Describe(plan.During!));
        Assert.Equal(leaving.Split(' '), plan.Leaving);
        var done = ShrinkLayout.After(plan.During!, toReplicas, toStandbys)!;
        Assert.Equal(after, Describe(done));
        Assert.Equal((toReplicas, toStandbys, pool.Shards * toReplicas + toStandbys), (done.ReplicasPerShard, done.Standbys, done.Members.Count));
    }

    [Fact]
    public void PrimaryAboveTheKeptPods_AfterAFailover_IsReplacedByItsWholeReplicaBelow()
    {
        // shard s1's copies swapped by a restart failover: its primary at ordinal 3 (deleted), its replica at 2 (kept).
        var pool = Pool("P:s0 R:s0 R:s1 P:s1 S", 2);

        var plan = ShrinkLayout.Plan(pool, 1, 1, new HashSet<string> { "c-default-1", "c-default-2" });

        Assert.Equal([new ShrinkPromotion("s1", "c-default-2", "c-default-3")], plan.Promotions);
        Assert.Equal("P:s0 S~ P:s1 S~ S~", Describe(plan.During!));
        Assert.Equal(["c-default-1"], plan.Demoted);
        Assert.Equal("P:s0 S! P:s1", Describe(ShrinkLayout.After(plan.During!, 1, 1)!));
    }

    [Fact]
    public void KeptReplicas_WithAWholeCopy_StayBeforeOnesStillCopying()
    {
        // R 3 → 2 with a standby: kept ordinals 0-2; shard s0 keeps its primary and one of its two kept replicas,
        // the one that tails rather than the lower one still copying.
        var pool = Pool("P:s0 R:s0 R:s0 S", 3);

        var plan = ShrinkLayout.Plan(pool, 2, 1, new HashSet<string> { "c-default-2" });

        Assert.Equal("P:s0 S~ R:s0 S~", Describe(plan.During!));
        Assert.Equal(["c-default-1"], plan.Demoted);
    }

    [Theory]
    // Initial layout with 3 shards (R 2 → 1, 4 pods kept): s2's copies are pods 4 and 5; pods 1 and 3 (s0's and s1's
    // replicas) are surplus; the highest takes s2. Once it tails, it is promoted and s2's old copies leave.
    [InlineData("P:s0 R:s0 P:s1 R:s1 P:s2 R:s2 S", 2, 1, 1, "c-default-3:s2:replica of s1:c-default-4", "P:s0 R:s0 P:s1 R:s2 P:s2 R:s2 S", "P:s0 S~ P:s1 P:s2 S~ S~ S~", "P:s0 S! P:s1 P:s2")]
    // Standbys 0: shard s1's copies are both above the 2 kept pods; s0's replica copies it.
    [InlineData("P:s0 R:s0 P:s1 R:s1", 2, 1, 0, "c-default-1:s1:replica of s0:c-default-2", "P:s0 R:s1 P:s1 R:s1", "P:s0 P:s1 S~ S~", "P:s0 P:s1")]
    // Three shards, standbys 0: only s0's replica is free, and it copies s2 (s1's primary, pod 2, is kept).
    [InlineData("P:s0 R:s0 P:s1 R:s1 P:s2 R:s2", 2, 1, 0, "c-default-1:s2:replica of s0:c-default-4", "P:s0 R:s2 P:s1 R:s1 P:s2 R:s2", "P:s0 P:s2 P:s1 S~ S~ S~", "P:s0 P:s2 P:s1")]
    // R 3 → 1 (2 shards, standby): 3 pods kept; s0's surplus replicas are pods 1 and 2, the higher copies s1.
    [InlineData("P:s0 R:s0 R:s0 P:s1 R:s1 R:s1 S", 3, 1, 1, "c-default-2:s1:replica of s0:c-default-3", "P:s0 R:s0 R:s1 P:s1 R:s1 R:s1 S", "P:s0 S~ P:s1 S~ S~ S~ S~", "P:s0 S! P:s1")]
    // R 3 → 2 (3 shards, standby): 7 pods kept; s2 keeps its primary (pod 6) and needs one replica: s1's surplus
    // (pod 5, the highest free) copies it.
    [InlineData("P:s0 R:s0 R:s0 P:s1 R:s1 R:s1 P:s2 R:s2 R:s2 S", 3, 2, 1, "c-default-5:s2:replica of s1:c-default-6", "P:s0 R:s0 R:s0 P:s1 R:s1 R:s2 P:s2 R:s2 R:s2 S", "P:s0 R:s0 S~ P:s1 R:s1 R:s2 P:s2 S~ S~ S~", "P:s0 R:s0 S! P:s1 R:s1 R:s2 P:s2")]
    // After a failover swapped s0's copies (its primary is pod 1): pod 0 is s0's surplus and copies s2.
    [InlineData("R:s0 P:s0 P:s1 R:s1 P:s2 R:s2 S", 2, 1, 1, "c-default-3:s2:replica of s1:c-default-4", "R:s0 P:s0 P:s1 R:s2 P:s2 R:s2 S", "S~ P:s0 P:s1 P:s2 S~ S~ S~", "S! P:s0 P:s1 P:s2")]
    // A kept standby is free too, after the surplus replicas: R 2 → 1 with 2 standbys kept, one shard short.
    [InlineData("P:s0 R:s0 S S P:s1 R:s1", 2, 1, 2, "c-default-1:s1:replica of s0:c-default-4", "P:s0 R:s1 S S P:s1 R:s1", "P:s0 P:s1 S S S~ S~", "P:s0 P:s1 S S")]
    public void ShardShortOfKeptCopies_IsCopiedIntoAFreeKeptPodFirst_ThenLoweredAsUsual(
        string members, int replicasPerShard, int toReplicas, int toStandbys, string copy, string copying, string during, string after)
    {
        var pool = Pool(members, replicasPerShard);
        var whole = pool.Members.Where(m => m.Role == Ring.MemberRole.Replica).Select(m => m.Pod).ToHashSet();

        var plan = ShrinkLayout.Plan(pool, toReplicas, toStandbys, whole);

        Assert.Null(plan.Refusal);
        Assert.Null(plan.During);
        Assert.Equal([copy], plan.Copies!.Select(c => $"{c.Pod}:{c.Shard}:{c.Was}:{c.Source}"));
        var copied = ShrinkLayout.WithCopies(pool, plan.Copies!);
        Assert.Equal(copying, Describe(copied));

        // With R' 1 the copy must be promoted, which the plan does only once it is whole. (With R' > 1 and the primary
        // kept, the plan alone would keep a copy still copying; the orchestrator waits for it in CopyingDown anyway.)
        whole.Remove(plan.Copies![0].Pod);
        if (toReplicas == 1)
            Assert.Null(ShrinkLayout.Plan(copied, toReplicas, toStandbys, whole).During);

        // Once it tails the ordinary plan runs: every shard keeps toReplicas copies below the kept count.
        whole.Add(plan.Copies![0].Pod);
        var then = ShrinkLayout.Plan(copied, toReplicas, toStandbys, whole);
        Assert.Null(then.Copies);
        Assert.Equal(during, Describe(then.During!));
        Assert.Equal(after, Describe(ShrinkLayout.After(then.During!, toReplicas, toStandbys)!));
    }

    [Fact]
    public void CopyDown_NeverTakesAKeptCopyAShardNeeds_NorAPrimary()
    {
        // R 2 → 1, 3 shards, 1 standby, after failovers moved roles around: s1 = pods 3 (replica) and 6 (primary), s2 =
        // pods 4 and 5, pod 2 a standby. Kept 0-3: s0 keeps pod 0, s1 keeps pod 3 (its only kept copy, to be promoted),
        // so neither may be taken; pods 1 (s0's surplus) and 2 (a standby) are free, and the surplus replica goes first.
        var pool = Pool("P:s0 R:s0 S R:s1 P:s2 R:s2 P:s1", 2);
        var whole = new HashSet<string> { "c-default-1", "c-default-3", "c-default-5" };

        var plan = ShrinkLayout.Plan(pool, 1, 1, whole);

        Assert.Equal(["c-default-1:s2"], plan.Copies!.Select(c => $"{c.Pod}:{c.Shard}"));
    }

    [Theory]
    // The kept replica is still copying: promoting it would lose the shard.
    [InlineData("P:s0 R:s0 R:s1 P:s1 S", 2, 1, 1, "c-default-1", "s1's primary c-default-3 sits among the pods the StatefulSet would remove (ordinals 3 and up) and its kept replica c-default-2 holds no whole copy yet (not ready or still copying)")]
    // Fewer standbys where a failover moved a shard's role onto the highest ordinal.
    [InlineData("P:s0 S S P:s1", 1, 1, 1, "", "c-default-3 (primary of s1) sits among the pods the StatefulSet would remove (ordinals 3 and up); moving a role down would need a copy first")]
    // A pool not at its full shape is not guessed at.
    [InlineData("P:s0 R:s0 P:s1", 2, 1, 0, "", "the pool does not have its full 4 members in ordinal order, and which pods the StatefulSet would delete is not guessed at")]
    public void LayoutWhereAShardWouldLoseItsData_IsRefused_WithAReasonAPersonUnderstands(
        string members, int replicasPerShard, int toReplicas, int toStandbys, string whole, string reason)
    {
        var pool = Pool(members, replicasPerShard);

        var plan = ShrinkLayout.Plan(pool, toReplicas, toStandbys, whole.Length == 0 ? new HashSet<string>() : whole.Split(' ').ToHashSet());

        Assert.Null(plan.During);
        Assert.Equal(reason, plan.Refusal);
    }

    [Fact]
    public void ShardCopyAboveTheKeptPods_WhenFinishing_IsNeverDeleted()
    {
        // Retiring members never take a shard, so only a stored state edited by hand (or a future path) gets here:
        // finishing would delete shard s0's only copy, so it does not finish.
        var pool = Pool("P:s1 S S P:s0", 1) with { ReplicasPerShard = 2 };

        Assert.Null(ShrinkLayout.After(pool, 1, 1));
    }
}
