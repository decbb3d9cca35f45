using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Requests and limits as quantity strings ("100m", "1Gi").</summary>
public sealed class ResourceRequirements
{
    [JsonPropertyName("requests")] public IDictionary<string, string>? Requests { get; set; }
    [JsonPropertyName("limits")] public IDictionary<string, string>? Limits { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
