using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Networking;

/// <summary>A set of pods (and/or namespaces). ipBlock round-trips as extension data.</summary>
public sealed class NetworkPolicyPeer
{
    [JsonPropertyName("podSelector")] public LabelSelector? PodSelector { get; set; }
    [JsonPropertyName("namespaceSelector")] public LabelSelector? NamespaceSelector { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
