namespace CacheOperator.Ring.Json;

/// <summary>A pool in JSON; <see cref="Buckets"/> holds run-length runs <c>"first-last:shard"</c>.</summary>
internal sealed class PoolDto
{
    public string? Name { get; set; }

    public List<string>? Prefixes { get; set; }

    public int? BucketCount { get; set; }

    public List<string>? Buckets { get; set; }

    public List<ShardDto>? Shards { get; set; }
}
