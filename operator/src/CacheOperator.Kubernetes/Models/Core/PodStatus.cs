using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The observed state of a Pod.</summary>
public sealed class PodStatus
{
    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    /// <summary>PodScheduled, Initialized, ContainersReady, Ready; lastProbeTime round-trips as extension data.</summary>
    [JsonPropertyName("conditions")] public IList<Condition>? Conditions { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("hostIP")] public string? HostIP { get; set; }
    [JsonPropertyName("podIP")] public string? PodIP { get; set; }
    [JsonPropertyName("podIPs")] public IList<PodIP>? PodIPs { get; set; }
    [JsonPropertyName("startTime")] public DateTimeOffset? StartTime { get; set; }
    [JsonPropertyName("containerStatuses")] public IList<ContainerStatus>? ContainerStatuses { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
