namespace CacheOperator.Ring;

/// <summary>The buckets one shard hands to another: the unit a warm-up stream is planned from.</summary>
/// <param name="FromShard">Source shard id.</param>
/// <param name="ToShard">Target shard id.</param>
/// <param name="Buckets">The buckets moving, ascending.</param>
public sealed record ShardTransfer(string FromShard, string ToShard, IReadOnlyList<int> Buckets);
