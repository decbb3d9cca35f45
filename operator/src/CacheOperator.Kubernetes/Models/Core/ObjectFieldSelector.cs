using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A field of the pod itself (downward API), e.g. metadata.name or status.podIP.</summary>
public sealed class ObjectFieldSelector
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("fieldPath")] public string FieldPath { get; set; } = "";

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
