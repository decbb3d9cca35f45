using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>The observed state of a StatefulSet.</summary>
public sealed class StatefulSetStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("replicas")] public int Replicas { get; set; }
    [JsonPropertyName("readyReplicas")] public int? ReadyReplicas { get; set; }
    [JsonPropertyName("currentReplicas")] public int? CurrentReplicas { get; set; }
    [JsonPropertyName("updatedReplicas")] public int? UpdatedReplicas { get; set; }
    [JsonPropertyName("availableReplicas")] public int? AvailableReplicas { get; set; }
    [JsonPropertyName("currentRevision")] public string? CurrentRevision { get; set; }
    [JsonPropertyName("updateRevision")] public string? UpdateRevision { get; set; }
    [JsonPropertyName("collisionCount")] public int? CollisionCount { get; set; }
    [JsonPropertyName("conditions")] public IList<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
