using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Autoscaling;

/// <summary>autoscaling/v1 Scale: what the /scale subresource of a StatefulSet, Deployment or custom resource speaks.</summary>
[KubernetesResource("autoscaling", "v1", "Scale", "scale")]
public sealed class Scale : KubernetesObject
{
    [JsonPropertyName("spec")] public ScaleSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public ScaleStatus? Status { get; set; }
}
