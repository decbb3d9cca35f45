namespace CacheOperator.Reconciler.Ring;

/// <summary>One pod's place in a pool: its role and, unless a standby, the shard it serves.</summary>
/// <param name="ToEmpty">
/// A failed primary made a standby: its cache must be emptied once it is ready again, before it may take a shard.
/// Kept here rather than in the operator's memory so an operator restart still does it; null (absent) otherwise.
/// </param>
/// <param name="Retiring">
/// A copy or standby that a lowering of replicasPerShard or standbys takes out: listed nowhere in the ring (not as a
/// copy, not as a standby) and never chosen by failover, while the routers are brought to a ring without it. Its
/// replica stream is left running until then, so a router still on the old ring reads whole data from it. Once every
/// router confirmed, it is removed with the StatefulSet's highest ordinals, or, kept, becomes a standby to be emptied.
/// Null (absent) otherwise.
/// </param>
public sealed record PoolMember(string Pod, int Ordinal, MemberRole Role, string? Shard, bool? ToEmpty = null, bool? Retiring = null);
