using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>One endpoint port.</summary>
public sealed class EndpointPort
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("port")] public int Port { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
