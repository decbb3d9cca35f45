using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>At most one of running, waiting, terminated is set.</summary>
public sealed class ContainerState
{
    [JsonPropertyName("running")] public ContainerStateRunning? Running { get; set; }
    [JsonPropertyName("waiting")] public ContainerStateWaiting? Waiting { get; set; }
    [JsonPropertyName("terminated")] public ContainerStateTerminated? Terminated { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
