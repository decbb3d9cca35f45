using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Where a volume appears in a container.</summary>
public sealed class VolumeMount
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("mountPath")] public string MountPath { get; set; } = "";
    [JsonPropertyName("subPath")] public string? SubPath { get; set; }
    [JsonPropertyName("readOnly")] public bool? ReadOnly { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
