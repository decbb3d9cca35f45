using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 Service. status (load balancer) round-trips as extension data.</summary>
[KubernetesResource("", "v1", "Service", "services")]
public sealed class Service : KubernetesObject
{
    [JsonPropertyName("spec")] public ServiceSpec Spec { get; set; } = new();
}
