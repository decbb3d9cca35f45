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

    [Fact]
    public void StayingShardMovedToADeletedOrdinal_DuringTheOperation_IsNotFinished()
    {
        // Scale-in 2 → 1 started with s1 leaving; then s0's primary failed and the standby at ordinal 2 took s0.
        var pool = Pool("S P:s1 P:s0");

        Assert.Null(ScaleOrchestrator.AfterScaleIn(pool, ["s0"]));
    }
}
