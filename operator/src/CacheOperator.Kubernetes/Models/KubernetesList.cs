using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models;

/// <summary>A list response (<c>PodList</c>, <c>CacheClusterList</c>, ...).</summary>
public sealed class KubernetesList<T> where T : KubernetesObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public IList<T> Items { get; set; } = [];
}
