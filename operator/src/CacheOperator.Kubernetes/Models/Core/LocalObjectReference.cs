using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A reference to an object by name in the same namespace.</summary>
public sealed class LocalObjectReference
{
    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
