using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>The observed state of a Deployment.</summary>
public sealed class DeploymentStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("replicas")] public int? Replicas { get; set; }
    [JsonPropertyName("readyReplicas")] public int? ReadyReplicas { get; set; }
    [JsonPropertyName("availableReplicas")] public int? AvailableReplicas { get; set; }
    [JsonPropertyName("updatedReplicas")] public int? UpdatedReplicas { get; set; }
    [JsonPropertyName("unavailableReplicas")] public int? UnavailableReplicas { get; set; }
    /// <summary>Available, Progressing, ReplicaFailure; lastUpdateTime round-trips as extension data.</summary>
    [JsonPropertyName("conditions")] public IList<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
