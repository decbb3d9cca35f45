using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Which component reported an event.</summary>
public sealed class EventSource
{
    [JsonPropertyName("component")] public string? Component { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
