using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Pods matching labelSelector, within the same topologyKey domain.</summary>
public sealed class PodAffinityTerm
{
    [JsonPropertyName("labelSelector")] public LabelSelector? LabelSelector { get; set; }
    [JsonPropertyName("namespaces")] public IList<string>? Namespaces { get; set; }
    [JsonPropertyName("namespaceSelector")] public LabelSelector? NamespaceSelector { get; set; }
    [JsonPropertyName("topologyKey")] public string TopologyKey { get; set; } = "";

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
