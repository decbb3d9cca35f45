using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("Durable failover by the operator (routers also fail over on their own, at once, for reads).")]
public sealed class FailoverSpec
{
    [JsonPropertyName("enabled")]
    [Default(true)]
    [Description("Whether a failed primary's shard is handed to a replica or a standby.")]
    public bool Enabled { get; set; } = true;

    [JsonPropertyName("notReadyThresholdSeconds")]
    [Default(30), Minimum(1), Maximum(3600)]
    [Description("How long a primary may be not ready (or gone) before its shard is handed over.")]
    public int NotReadyThresholdSeconds { get; set; } = 30;
}
