using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The status of a Namespace.</summary>
public sealed class NamespaceStatus
{
    /// <summary>Active or Terminating.</summary>
    [JsonPropertyName("phase")] public string? Phase { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
