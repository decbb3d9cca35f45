using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 Endpoints: the addresses behind a Service.</summary>
[KubernetesResource("", "v1", "Endpoints", "endpoints")]
public sealed class Endpoints : KubernetesObject
{
    [JsonPropertyName("subsets")] public IList<EndpointSubset>? Subsets { get; set; }
}
