using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A preferred affinity term with its weight (1-100).</summary>
public sealed class WeightedPodAffinityTerm
{
    [JsonPropertyName("weight")] public int Weight { get; set; }
    [JsonPropertyName("podAffinityTerm")] public PodAffinityTerm PodAffinityTerm { get; set; } = new();

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
