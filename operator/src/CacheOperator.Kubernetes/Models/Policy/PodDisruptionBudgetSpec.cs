using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Policy;

/// <summary>At most one of minAvailable and maxUnavailable (numbers or percentages).</summary>
public sealed class PodDisruptionBudgetSpec
{
    [JsonPropertyName("minAvailable")] public IntOrString? MinAvailable { get; set; }
    [JsonPropertyName("maxUnavailable")] public IntOrString? MaxUnavailable { get; set; }
    [JsonPropertyName("selector")] public LabelSelector? Selector { get; set; }
    [JsonPropertyName("unhealthyPodEvictionPolicy")] public string? UnhealthyPodEvictionPolicy { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
