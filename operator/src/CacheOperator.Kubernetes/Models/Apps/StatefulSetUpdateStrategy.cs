using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>RollingUpdate or OnDelete.</summary>
public sealed class StatefulSetUpdateStrategy
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("rollingUpdate")] public RollingUpdateStatefulSetStrategy? RollingUpdate { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
