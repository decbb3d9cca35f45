using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Container-level security settings.</summary>
public sealed class SecurityContext
{
    [JsonPropertyName("runAsNonRoot")] public bool? RunAsNonRoot { get; set; }
    [JsonPropertyName("runAsUser")] public long? RunAsUser { get; set; }
    [JsonPropertyName("runAsGroup")] public long? RunAsGroup { get; set; }
    [JsonPropertyName("readOnlyRootFilesystem")] public bool? ReadOnlyRootFilesystem { get; set; }
    [JsonPropertyName("allowPrivilegeEscalation")] public bool? AllowPrivilegeEscalation { get; set; }
    [JsonPropertyName("privileged")] public bool? Privileged { get; set; }
    [JsonPropertyName("capabilities")] public Capabilities? Capabilities { get; set; }
    [JsonPropertyName("seccompProfile")] public SeccompProfile? SeccompProfile { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
