namespace CacheOperator.Ring.Json;

/// <summary>A shard in JSON.</summary>
internal sealed class ShardDto
{
    public string? Id { get; set; }

    public string? Primary { get; set; }

    public List<string>? Replicas { get; set; }
}
