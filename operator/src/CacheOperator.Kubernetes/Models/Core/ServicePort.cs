using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>One port of a Service.</summary>
public sealed class ServicePort
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("port")] public int Port { get; set; }
    /// <summary>A number or a container port's name; defaults to port.</summary>
    [JsonPropertyName("targetPort")] public IntOrString? TargetPort { get; set; }
    [JsonPropertyName("nodePort")] public int? NodePort { get; set; }
    [JsonPropertyName("appProtocol")] public string? AppProtocol { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
