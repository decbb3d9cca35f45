using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Policy;

/// <summary>The observed state of a PodDisruptionBudget.</summary>
public sealed class PodDisruptionBudgetStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("disruptionsAllowed")] public int DisruptionsAllowed { get; set; }
    [JsonPropertyName("currentHealthy")] public int CurrentHealthy { get; set; }
    [JsonPropertyName("desiredHealthy")] public int DesiredHealthy { get; set; }
    [JsonPropertyName("expectedPods")] public int ExpectedPods { get; set; }
    [JsonPropertyName("conditions")] public IList<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
