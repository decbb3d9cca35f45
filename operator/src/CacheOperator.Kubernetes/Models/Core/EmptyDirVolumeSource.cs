using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A scratch directory that lives as long as the pod.</summary>
public sealed class EmptyDirVolumeSource
{
    /// <summary>"" (node disk) or "Memory".</summary>
    [JsonPropertyName("medium")] public string? Medium { get; set; }
    /// <summary>A quantity, e.g. "64Mi".</summary>
    [JsonPropertyName("sizeLimit")] public string? SizeLimit { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
