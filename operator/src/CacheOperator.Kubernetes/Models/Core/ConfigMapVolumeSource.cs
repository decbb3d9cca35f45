using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A ConfigMap mounted as files.</summary>
public sealed class ConfigMapVolumeSource
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("items")] public IList<KeyToPath>? Items { get; set; }
    [JsonPropertyName("defaultMode")] public int? DefaultMode { get; set; }
    [JsonPropertyName("optional")] public bool? Optional { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
