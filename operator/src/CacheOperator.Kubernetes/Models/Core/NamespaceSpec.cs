using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The spec of a Namespace.</summary>
public sealed class NamespaceSpec
{
    [JsonPropertyName("finalizers")] public IList<string>? Finalizers { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
