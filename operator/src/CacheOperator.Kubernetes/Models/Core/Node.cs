using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 Node (cluster-scoped). spec round-trips as extension data.</summary>
[KubernetesResource("", "v1", "Node", "nodes", Namespaced = false)]
public sealed class Node : KubernetesObject
{
    [JsonPropertyName("status")] public NodeStatus? Status { get; set; }
}
