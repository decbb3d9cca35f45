using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Pod-level security settings.</summary>
public sealed class PodSecurityContext
{
    [JsonPropertyName("runAsNonRoot")] public bool? RunAsNonRoot { get; set; }
    [JsonPropertyName("runAsUser")] public long? RunAsUser { get; set; }
    [JsonPropertyName("runAsGroup")] public long? RunAsGroup { get; set; }
    [JsonPropertyName("fsGroup")] public long? FsGroup { get; set; }
    [JsonPropertyName("seccompProfile")] public SeccompProfile? SeccompProfile { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
