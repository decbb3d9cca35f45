using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A running container.</summary>
public sealed class ContainerStateRunning
{
    [JsonPropertyName("startedAt")] public DateTimeOffset? StartedAt { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
