using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Scheduling constraints. nodeAffinity round-trips as extension data.</summary>
public sealed class Affinity
{
    [JsonPropertyName("podAffinity")] public PodAffinity? PodAffinity { get; set; }
    [JsonPropertyName("podAntiAffinity")] public PodAffinity? PodAntiAffinity { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
