namespace CacheOperator.Ring.Json;

/// <summary>The gutter pool in JSON.</summary>
internal sealed class GutterDto
{
    public List<string>? Shards { get; set; }

    public int? TtlCapSeconds { get; set; }
}
