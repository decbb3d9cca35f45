using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The seccomp profile: RuntimeDefault, Localhost or Unconfined.</summary>
public sealed class SeccompProfile
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("localhostProfile")] public string? LocalhostProfile { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
