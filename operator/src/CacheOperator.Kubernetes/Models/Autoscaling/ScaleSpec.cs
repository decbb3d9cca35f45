using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Autoscaling;

/// <summary>The desired replica count.</summary>
public sealed class ScaleSpec
{
    [JsonPropertyName("replicas")] public int? Replicas { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
