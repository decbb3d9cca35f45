using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Networking;

/// <summary>Traffic allowed in: from any of the peers, to any of the ports.</summary>
public sealed class NetworkPolicyIngressRule
{
    [JsonPropertyName("from")] public IList<NetworkPolicyPeer>? From { get; set; }
    [JsonPropertyName("ports")] public IList<NetworkPolicyPort>? Ports { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
