using System.Text.Json;
using System.Text.Json.Serialization;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>The spec of a StatefulSet. volumeClaimTemplates and persistentVolumeClaimRetentionPolicy round-trip as extension data.</summary>
public sealed class StatefulSetSpec
{
    [JsonPropertyName("replicas")] public int? Replicas { get; set; }
    [JsonPropertyName("selector")] public LabelSelector Selector { get; set; } = new();
    [JsonPropertyName("serviceName")] public string? ServiceName { get; set; }
    [JsonPropertyName("template")] public PodTemplateSpec Template { get; set; } = new();
    /// <summary>OrderedReady or Parallel.</summary>
    [JsonPropertyName("podManagementPolicy")] public string? PodManagementPolicy { get; set; }
    [JsonPropertyName("updateStrategy")] public StatefulSetUpdateStrategy? UpdateStrategy { get; set; }
    [JsonPropertyName("revisionHistoryLimit")] public int? RevisionHistoryLimit { get; set; }
    [JsonPropertyName("minReadySeconds")] public int? MinReadySeconds { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
