using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The pod a StatefulSet or Deployment stamps out.</summary>
public sealed class PodTemplateSpec
{
    [JsonPropertyName("metadata")] public ObjectMeta? Metadata { get; set; }
    [JsonPropertyName("spec")] public PodSpec Spec { get; set; } = new();

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
