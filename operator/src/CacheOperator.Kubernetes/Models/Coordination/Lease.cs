using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Coordination;

/// <summary>coordination.k8s.io/v1 Lease: what leader election holds.</summary>
[KubernetesResource("coordination.k8s.io", "v1", "Lease", "leases")]
public sealed class Lease : KubernetesObject
{
    [JsonPropertyName("spec")] public LeaseSpec Spec { get; set; } = new();
}
