using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("The gutter pool: where routers send a down shard's traffic, with a short TTL so stale data expires.")]
public sealed class GutterSpec
{
    [JsonPropertyName("shards")]
    [Default(0), Minimum(0), Maximum(64)]
    [Description("Gutter nodes; 0 turns the gutter off (reads of a down shard miss).")]
    public int Shards { get; set; }

    [JsonPropertyName("ttlSeconds")]
    [Default(10), Minimum(1), Maximum(3600)]
    [Description("Longest TTL an item keeps in the gutter.")]
    public int TtlSeconds { get; set; } = 10;
}
