using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A probe that passes when a TCP connection opens.</summary>
public sealed class TcpSocketAction
{
    /// <summary>A number or a container port's name.</summary>
    [JsonPropertyName("port")] public IntOrString Port { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
