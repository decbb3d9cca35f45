using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>Rolling update parameters of a Deployment (numbers or percentages).</summary>
public sealed class RollingUpdateDeployment
{
    [JsonPropertyName("maxUnavailable")] public IntOrString? MaxUnavailable { get; set; }
    [JsonPropertyName("maxSurge")] public IntOrString? MaxSurge { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
