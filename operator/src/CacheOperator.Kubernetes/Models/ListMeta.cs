using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models;

/// <summary>meta/v1 ListMeta: the list's resourceVersion (where a watch resumes) and the paging token.</summary>
public sealed class ListMeta
{
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
    [JsonPropertyName("continue")] public string? Continue { get; set; }
    [JsonPropertyName("remainingItemCount")] public long? RemainingItemCount { get; set; }
}
