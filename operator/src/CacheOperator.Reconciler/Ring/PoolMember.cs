namespace CacheOperator.Reconciler.Ring;

/// <summary>One pod's place in a pool: its role and, unless a standby, the shard it serves.</summary>
/// <param name="ToEmpty">
/// A failed primary made a standby: its cache must be emptied once it is ready again, before it may take a shard.
/// Kept here rather than in the operator's memory so an operator restart still does it; null (absent) otherwise.
/// </param>
public sealed record PoolMember(string Pod, int Ordinal, MemberRole Role, string? Shard, bool? ToEmpty = null);
