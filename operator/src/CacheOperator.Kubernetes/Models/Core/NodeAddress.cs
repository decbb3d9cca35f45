using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>One address of a node.</summary>
public sealed class NodeAddress
{
    /// <summary>InternalIP, ExternalIP, Hostname, ...</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("address")] public string Address { get; set; } = "";

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
