using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The spec of a Pod.</summary>
public sealed class PodSpec
{
    [JsonPropertyName("containers")] public IList<Container> Containers { get; set; } = [];
    [JsonPropertyName("initContainers")] public IList<Container>? InitContainers { get; set; }
    [JsonPropertyName("volumes")] public IList<Volume>? Volumes { get; set; }
    [JsonPropertyName("serviceAccountName")] public string? ServiceAccountName { get; set; }
    [JsonPropertyName("automountServiceAccountToken")] public bool? AutomountServiceAccountToken { get; set; }
    [JsonPropertyName("nodeName")] public string? NodeName { get; set; }
    [JsonPropertyName("nodeSelector")] public IDictionary<string, string>? NodeSelector { get; set; }
    [JsonPropertyName("affinity")] public Affinity? Affinity { get; set; }
    [JsonPropertyName("tolerations")] public IList<Toleration>? Tolerations { get; set; }
    [JsonPropertyName("topologySpreadConstraints")] public IList<TopologySpreadConstraint>? TopologySpreadConstraints { get; set; }
    [JsonPropertyName("terminationGracePeriodSeconds")] public long? TerminationGracePeriodSeconds { get; set; }
    [JsonPropertyName("securityContext")] public PodSecurityContext? SecurityContext { get; set; }
    [JsonPropertyName("restartPolicy")] public string? RestartPolicy { get; set; }
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
    [JsonPropertyName("subdomain")] public string? Subdomain { get; set; }
    [JsonPropertyName("priorityClassName")] public string? PriorityClassName { get; set; }
    [JsonPropertyName("imagePullSecrets")] public IList<LocalObjectReference>? ImagePullSecrets { get; set; }
    [JsonPropertyName("enableServiceLinks")] public bool? EnableServiceLinks { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
