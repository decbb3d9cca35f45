using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Ring;

/// <summary>The first assignment of a pool's pods to roles, made once when the pool is created.</summary>
public static class RoleAssignment
{
    /// <summary>
    /// Ordinal i &lt; S·R serves shard <c>shard-(i / R)</c> with rank i % R (0 = primary, else replica); the
    /// remaining B ordinals are standbys. Replicas of a shard are thus adjacent ordinals, which spreads
    /// primaries over the first ordinals the StatefulSet starts.
    /// </summary>
    public static PoolAssignment Initial(ClusterNames names, PoolTopology topology)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topology.Shards);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topology.ReplicasPerShard);
        ArgumentOutOfRangeException.ThrowIfNegative(topology.Standbys);

        int r = topology.ReplicasPerShard;
        int active = topology.Shards * r;
        var members = new List<PoolMember>(topology.Members);
        for (int i = 0; i < topology.Members; i++)
        {
            string pod = names.Pod(topology.Name, i);
            members.Add(i < active
                ? new PoolMember(pod, i, i % r == 0 ? MemberRole.Primary : MemberRole.Replica, ShardId(i / r))
                : new PoolMember(pod, i, MemberRole.Standby, null));
        }

        return new PoolAssignment(topology.Name, topology.Shards, r, topology.Standbys, members);
    }

    public static string ShardId(int index) => $"shard-{index}";
}
