using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("The router Deployment as observed.")]
public sealed class RouterStatus
{
    [JsonPropertyName("replicas")]
    [Description("Router pods that exist.")]
    public int Replicas { get; set; }

    [JsonPropertyName("ready")]
    [Description("Router pods that are ready.")]
    public int Ready { get; set; }

    [JsonPropertyName("ringVersion")]
    [Description("The lowest ring version any ready router serves.")]
    public long RingVersion { get; set; }
}
