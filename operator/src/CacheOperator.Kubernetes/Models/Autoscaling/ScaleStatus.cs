using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Autoscaling;

/// <summary>The observed replica count and the label selector (as a string) of the pods.</summary>
public sealed class ScaleStatus
{
    [JsonPropertyName("replicas")] public int Replicas { get; set; }
    [JsonPropertyName("selector")] public string? Selector { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
