using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models;

/// <summary>meta/v1 Condition, the shape kubectl wait and GitOps tools read.</summary>
public sealed class Condition
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    /// <summary>"True", "False" or "Unknown".</summary>
    [JsonPropertyName("status")] public string Status { get; set; } = "Unknown";
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("lastTransitionTime")] public DateTimeOffset? LastTransitionTime { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }

    /// <summary>Fields of the kind-specific condition types (lastProbeTime, lastUpdateTime, lastHeartbeatTime).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
