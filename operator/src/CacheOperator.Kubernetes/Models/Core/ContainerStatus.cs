using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The observed state of one container.</summary>
public sealed class ContainerStatus
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("ready")] public bool Ready { get; set; }
    [JsonPropertyName("restartCount")] public int RestartCount { get; set; }
    [JsonPropertyName("started")] public bool? Started { get; set; }
    [JsonPropertyName("image")] public string? Image { get; set; }
    [JsonPropertyName("imageID")] public string? ImageID { get; set; }
    [JsonPropertyName("containerID")] public string? ContainerID { get; set; }
    [JsonPropertyName("state")] public ContainerState? State { get; set; }
    [JsonPropertyName("lastState")] public ContainerState? LastState { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
