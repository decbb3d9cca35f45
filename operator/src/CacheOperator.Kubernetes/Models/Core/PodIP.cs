using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>One of a pod's IP addresses.</summary>
public sealed class PodIP
{
    [JsonPropertyName("ip")] public string IP { get; set; } = "";

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
