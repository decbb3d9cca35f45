using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A pod volume. Only the sources we use are typed; others (projected, ...) round-trip as extension data.</summary>
public sealed class Volume
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("configMap")] public ConfigMapVolumeSource? ConfigMap { get; set; }
    [JsonPropertyName("secret")] public SecretVolumeSource? Secret { get; set; }
    [JsonPropertyName("emptyDir")] public EmptyDirVolumeSource? EmptyDir { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
