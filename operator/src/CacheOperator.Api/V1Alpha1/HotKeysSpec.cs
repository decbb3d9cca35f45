using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("Hot-key copies: a key read more often than the threshold is read from one of several copies.")]
public sealed class HotKeysSpec
{
    [JsonPropertyName("enabled")]
    [Default(true)]
    [Description("Whether routers detect hot keys.")]
    public bool Enabled { get; set; } = true;

    [JsonPropertyName("thresholdPerSecond")]
    [Default(1000), Minimum(1), Maximum(10_000_000)]
    [Description("Reads per second of one key (per router) that make it hot.")]
    public int ThresholdPerSecond { get; set; } = 1000;

    [JsonPropertyName("copies")]
    [Default(3), Minimum(2), Maximum(16)]
    [Description("Copies of a hot key, on distinct shards.")]
    public int Copies { get; set; } = 3;

    [JsonPropertyName("ttlSeconds")]
    [Default(10), Minimum(1), Maximum(3600)]
    [Description("TTL of a copy, so a missed update heals by itself.")]
    public int TtlSeconds { get; set; } = 10;
}
