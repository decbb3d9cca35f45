using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Apps;

/// <summary>Rolling update parameters of a StatefulSet.</summary>
public sealed class RollingUpdateStatefulSetStrategy
{
    [JsonPropertyName("partition")] public int? Partition { get; set; }
    [JsonPropertyName("maxUnavailable")] public IntOrString? MaxUnavailable { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
