namespace CacheOperator.Ring;

/// <summary>One bucket changing owner between two tables.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="FromShard">Shard id that owned it.</param>
/// <param name="ToShard">Shard id that owns it afterwards.</param>
public readonly record struct BucketMove(int Bucket, string FromShard, string ToShard);
