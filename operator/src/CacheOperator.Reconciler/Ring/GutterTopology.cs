namespace CacheOperator.Reconciler.Ring;

/// <summary>The gutter pool: a few nodes taking a down shard's traffic with capped TTLs.</summary>
public sealed record GutterTopology(int Shards, int TtlSeconds)
{
    /// <summary>The gutter's StatefulSet is named like a pool's, with this pool name.</summary>
    public const string PoolName = "gutter";
}
