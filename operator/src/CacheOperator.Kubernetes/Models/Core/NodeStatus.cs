using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The observed state of a Node.</summary>
public sealed class NodeStatus
{
    [JsonPropertyName("addresses")] public IList<NodeAddress>? Addresses { get; set; }
    /// <summary>Ready and the pressure conditions; lastHeartbeatTime round-trips as extension data.</summary>
    [JsonPropertyName("conditions")] public IList<Condition>? Conditions { get; set; }
    [JsonPropertyName("capacity")] public IDictionary<string, string>? Capacity { get; set; }
    [JsonPropertyName("allocatable")] public IDictionary<string, string>? Allocatable { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
