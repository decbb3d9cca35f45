using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A Secret mounted as files.</summary>
public sealed class SecretVolumeSource
{
    [JsonPropertyName("secretName")] public string? SecretName { get; set; }
    [JsonPropertyName("items")] public IList<KeyToPath>? Items { get; set; }
    [JsonPropertyName("defaultMode")] public int? DefaultMode { get; set; }
    [JsonPropertyName("optional")] public bool? Optional { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
