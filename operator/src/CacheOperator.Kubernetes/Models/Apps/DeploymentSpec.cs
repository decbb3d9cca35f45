using System.Text.Json;
using System.Text.Json.Serialization;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>The spec of a Deployment.</summary>
public sealed class DeploymentSpec
{
    [JsonPropertyName("replicas")] public int? Replicas { get; set; }
    [JsonPropertyName("selector")] public LabelSelector Selector { get; set; } = new();
    [JsonPropertyName("template")] public PodTemplateSpec Template { get; set; } = new();
    [JsonPropertyName("strategy")] public DeploymentStrategy? Strategy { get; set; }
    [JsonPropertyName("minReadySeconds")] public int? MinReadySeconds { get; set; }
    [JsonPropertyName("revisionHistoryLimit")] public int? RevisionHistoryLimit { get; set; }
    [JsonPropertyName("progressDeadlineSeconds")] public int? ProgressDeadlineSeconds { get; set; }
    [JsonPropertyName("paused")] public bool? Paused { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
