using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 Pod.</summary>
[KubernetesResource("", "v1", "Pod", "pods")]
public sealed class Pod : KubernetesObject
{
    [JsonPropertyName("spec")] public PodSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public PodStatus? Status { get; set; }
}
