using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Policy;

/// <summary>policy/v1 PodDisruptionBudget.</summary>
[KubernetesResource("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets")]
public sealed class PodDisruptionBudget : KubernetesObject
{
    [JsonPropertyName("spec")] public PodDisruptionBudgetSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public PodDisruptionBudgetStatus? Status { get; set; }
}
