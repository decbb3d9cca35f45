namespace CacheOperator.Reconciler.Ring;

/// <summary>The members of one pool and the shape they were assigned for.</summary>
public sealed record PoolAssignment(string Name, int Shards, int ReplicasPerShard, int Standbys, IReadOnlyList<PoolMember> Members)
{
    public PoolTopology Topology(IReadOnlyList<string> prefixes) => new(Name, prefixes, Shards, ReplicasPerShard, Standbys);
}
