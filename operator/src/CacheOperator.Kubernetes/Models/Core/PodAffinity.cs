using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Pod affinity or anti-affinity rules (both have this shape).</summary>
public sealed class PodAffinity
{
    [JsonPropertyName("requiredDuringSchedulingIgnoredDuringExecution")] public IList<PodAffinityTerm>? RequiredDuringSchedulingIgnoredDuringExecution { get; set; }
    [JsonPropertyName("preferredDuringSchedulingIgnoredDuringExecution")] public IList<WeightedPodAffinityTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
