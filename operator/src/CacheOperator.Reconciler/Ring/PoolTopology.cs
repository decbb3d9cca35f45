namespace CacheOperator.Reconciler.Ring;

/// <summary>The shape a pool should have: S shards of R copies each, plus B standbys.</summary>
public sealed record PoolTopology(string Name, IReadOnlyList<string> Prefixes, int Shards, int ReplicasPerShard, int Standbys)
{
    /// <summary>Pods of the pool's StatefulSet: S·R + B.</summary>
    public int Members => Shards * ReplicasPerShard + Standbys;

    /// <summary>Same S, R and B (prefixes aside).</summary>
    public bool SameShape(PoolTopology other) =>
        Shards == other.Shards && ReplicasPerShard == other.ReplicasPerShard && Standbys == other.Standbys;
}
