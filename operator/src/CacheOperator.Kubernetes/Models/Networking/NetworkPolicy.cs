using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Networking;

/// <summary>networking.k8s.io/v1 NetworkPolicy.</summary>
[KubernetesResource("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies")]
public sealed class NetworkPolicy : KubernetesObject
{
    [JsonPropertyName("spec")] public NetworkPolicySpec Spec { get; set; } = new();
}
