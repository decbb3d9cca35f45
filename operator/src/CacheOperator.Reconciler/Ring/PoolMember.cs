namespace CacheOperator.Reconciler.Ring;

/// <summary>One pod's place in a pool: its role and, unless a standby, the shard it serves.</summary>
public sealed record PoolMember(string Pod, int Ordinal, MemberRole Role, string? Shard);
