using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>An HTTP GET probe; any 2xx or 3xx answer passes.</summary>
public sealed class HttpGetAction
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    /// <summary>A number or a container port's name.</summary>
    [JsonPropertyName("port")] public IntOrString Port { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }
    [JsonPropertyName("scheme")] public string? Scheme { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
