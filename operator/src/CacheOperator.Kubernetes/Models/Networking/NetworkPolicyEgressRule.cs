using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Networking;

/// <summary>Traffic allowed out: to any of the peers, on any of the ports.</summary>
public sealed class NetworkPolicyEgressRule
{
    [JsonPropertyName("to")] public IList<NetworkPolicyPeer>? To { get; set; }
    [JsonPropertyName("ports")] public IList<NetworkPolicyPort>? Ports { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
