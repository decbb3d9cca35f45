using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A port a container listens on.</summary>
public sealed class ContainerPort
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    /// <summary>The port number (containerPort on the wire).</summary>
    [JsonPropertyName("containerPort")] public int Port { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("hostPort")] public int? HostPort { get; set; }
    [JsonPropertyName("hostIP")] public string? HostIP { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
