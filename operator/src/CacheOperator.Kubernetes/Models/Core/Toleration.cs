using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Lets a pod schedule onto nodes with a matching taint.</summary>
public sealed class Toleration
{
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("operator")] public string? Operator { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("effect")] public string? Effect { get; set; }
    [JsonPropertyName("tolerationSeconds")] public long? TolerationSeconds { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
