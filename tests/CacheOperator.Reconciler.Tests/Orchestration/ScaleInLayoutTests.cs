using CacheOperator.Reconciler.Orchestration;
using static CacheOperator.Reconciler.Tests.Orchestration.PoolLayouts;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>
/// Which shards a scale-in removes, and the members it leaves: the StatefulSet deletes the highest ordinals, so every
/// pod of a staying shard must sit below the new pod count, and the kept pods of leaving shards become the standbys.
/// </summary>
public sealed class ScaleInLayoutTests
{
    [Theory]
    // Whole shards at the end, as after a scale-out: the last shard leaves, as before.
    [InlineData("P:s0 P:s1 S P:s2", 2, "s2", "P:s0 P:s1 S")]
    // The standby after the shards, as right after creating the pool: shard s1 leaves, its pod (kept) becomes the
    // standby to be emptied, and the old standby (ordinal 2, no data) is the pod the StatefulSet deletes.
    [InlineData("P:s0 P:s1 S", 1, "s1", "P:s0 S!")]
    [InlineData("P:s0 R:s0 P:s1 R:s1 P:s2 R:s2 S S", 1, "s1 s2", "P:s0 R:s0 S! S!", 2)]
    [InlineData("P:s0 P:s1 P:s2 S S", 2, "s2", "P:s0 P:s1 S! S")]
    // After a failover the standby at the end holds s0: s0 is the shard that leaves (its pod sits highest).
    [InlineData("S P:s1 P:s0", 1, "s0", "S P:s1")]
    public void ScaleIn_KeepsTheShardsWhosePodsSitLowest_AndTheKeptPodsOfLeavingShardsBecomeStandbys(
        string members, int shards, string leaving, string after, int replicasPerShard = 1)
    {
        var pool = Pool(members, replicasPerShard);

        var left = ScaleOrchestrator.LeavingShards(pool, shards);

        Assert.Equal(leaving.Split(' '), left);
        var staying = pool.Members.Where(m => m.Shard is not null && !left!.Contains(m.Shard)).Select(m => m.Shard!).Distinct().ToList();
        var next = ScaleOrchestrator.AfterScaleIn(pool, staying)!;
        Assert.Equal(after, Describe(next));
        Assert.Equal((shards, shards * replicasPerShard + pool.Standbys), (next.Shards, next.Members.Count));
    }

    [Theory]
    // Replicas added after creation take the next ordinals: each shard has a pod at the end, whichever leaves.
    [InlineData("P:s0 P:s1 S R:s0 R:s1", 1, 2)]
    // A pool not at its full shape (a member missing) is not guessed at.
    [InlineData("P:s0 P:s1", 1, 1, 1)]
    public void ScaleIn_WhereEveryChoiceWouldDeleteAStayingShardsPod_IsRefused(string members, int shards, int replicasPerShard, int standbys = -1)
    {
        var pool = Pool(members, replicasPerShard);
        if (standbys >= 0)
            pool = pool with { Standbys = standbys };

        Assert.Null(ScaleOrchestrator.LeavingShards(pool, shards));
    }

    [Theory]
    // After raising R 1 → 2 (standbys 1), 2 → 1: s0 stays (primary at 0), the standby (pod 2) copies it; then s0's
    // replica at pod 3 retires, and the scale-in leaves pod 1 (s1's primary) as the standby to empty.
    [InlineData("P:s0 P:s1 S R:s0 R:s1", 1, "s1", "c-default-2:s0:standby:c-default-0", "P:s0 S! R:s0")]
    // Three shards, 3 → 2: s0 already has both copies below 5; s1 gets the standby (pod 3); s2 leaves.
    [InlineData("P:s0 P:s1 P:s2 S R:s0 R:s1 R:s2", 2, "s2", "c-default-3:s1:standby:c-default-1", "P:s0 P:s1 S! R:s1 R:s0")]
    public void ScaleIn_WhereStayingShardsHaveCopiesAbove_CopiesThemDownIntoFreeKeptPods(string members, int shards, string leaving, string copy, string after)
    {
        var pool = Pool(members, 2);

        var plan = ScaleOrchestrator.ScaleInCopies(pool, shards)!.Value;

        Assert.Equal(leaving.Split(' '), plan.Leaving);
        Assert.Equal([copy], plan.Copies.Select(c => $"{c.Pod}:{c.Shard}:{c.Was}:{c.Source}"));
        var staying = pool.Members.Where(m => m.Role == Ring.MemberRole.Primary && !plan.Leaving.Contains(m.Shard!)).Select(m => m.Shard!).ToList();

        // Once the copies tail, the staying shards' copies above retire (shard null), and the scale-in ends as usual.
        int kept = shards * 2 + pool.Standbys;
        var copied = ShrinkLayout.WithCopies(pool, plan.Copies);
        var retired = copied with { Members = [.. copied.Members.Select(m => m.Ordinal >= kept && staying.Contains(m.Shard ?? "") ? ShrinkLayout.Retire(m) : m)] };
        Assert.Equal(after, Describe(ScaleOrchestrator.AfterScaleIn(retired, staying)!));
    }

    [Fact]
    public void ScaleIn_WithoutAFreeKeptPod_IsStillRefused()
    {
        // Standbys 0 after raising R: the only kept pods are s0's and s1's primaries (s1's is the warm-up's source).
        Assert.Null(ScaleOrchestrator.ScaleInCopies(Pool("P:s0 P:s1 R:s0 R:s1", 2), 1));
    }

    [Fact]
    public void StayingShardMovedToADeletedOrdinal_DuringTheOperation_IsNotFinished()
    {
        // Scale-in 2 → 1 started with s1 leaving; then s0's primary failed and the standby at ordinal 2 took s0.
        var pool = Pool("S P:s1 P:s0");

        Assert.Null(ScaleOrchestrator.AfterScaleIn(pool, ["s0"]));
    }
}
