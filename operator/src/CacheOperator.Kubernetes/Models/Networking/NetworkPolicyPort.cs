using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Networking;

/// <summary>A port (number or name) and protocol.</summary>
public sealed class NetworkPolicyPort
{
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("port")] public IntOrString? Port { get; set; }
    [JsonPropertyName("endPort")] public int? EndPort { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
