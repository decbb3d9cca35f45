using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>apps/v1 StatefulSet.</summary>
[KubernetesResource("apps", "v1", "StatefulSet", "statefulsets")]
public sealed class StatefulSet : KubernetesObject
{
    [JsonPropertyName("spec")] public StatefulSetSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public StatefulSetStatus? Status { get; set; }
}
