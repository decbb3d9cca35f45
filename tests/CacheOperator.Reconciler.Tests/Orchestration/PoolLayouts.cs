using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>Pools written one member per ordinal, "P:s0 R:s0 P:s1 S": primary, replica, standby.</summary>
internal static class PoolLayouts
{
    /// <summary>A pool at full shape from its members, with its replicas per shard (standbys counted).</summary>
    public static PoolAssignment Pool(string members, int replicasPerShard = 1)
    {
        var list = members.Split(' ').Select((m, i) => m[0] switch
        {
            'P' => new PoolMember($"c-default-{i}", i, MemberRole.Primary, m[2..]),
            'R' => new PoolMember($"c-default-{i}", i, MemberRole.Replica, m[2..]),
            _ => new PoolMember($"c-default-{i}", i, MemberRole.Standby, null),
        }).ToList();
        return new PoolAssignment("default", list.Count(m => m.Role == MemberRole.Primary), replicasPerShard,
            list.Count(m => m.Role == MemberRole.Standby), list);
    }

    /// <summary>The same notation back; "S!" a standby to be emptied, "S~" a member retiring from the ring.</summary>
    public static string Describe(PoolAssignment pool) => string.Join(' ', pool.Members.OrderBy(m => m.Ordinal).Select(m => m.Role switch
    {
        MemberRole.Primary => $"P:{m.Shard}",
        MemberRole.Replica => $"R:{m.Shard}",
        _ => m.Retiring == true ? "S~" : m.ToEmpty == true ? "S!" : "S",
    }));
}
