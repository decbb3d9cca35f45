using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>Recreate or RollingUpdate.</summary>
public sealed class DeploymentStrategy
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("rollingUpdate")] public RollingUpdateDeployment? RollingUpdate { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
