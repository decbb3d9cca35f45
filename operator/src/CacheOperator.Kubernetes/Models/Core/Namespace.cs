using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 Namespace (cluster-scoped).</summary>
[KubernetesResource("", "v1", "Namespace", "namespaces", Namespaced = false)]
public sealed class Namespace : KubernetesObject
{
    [JsonPropertyName("spec")] public NamespaceSpec? Spec { get; set; }
    [JsonPropertyName("status")] public NamespaceStatus? Status { get; set; }
}
