using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>How evenly matching pods spread across topology domains.</summary>
public sealed class TopologySpreadConstraint
{
    [JsonPropertyName("maxSkew")] public int MaxSkew { get; set; }
    [JsonPropertyName("topologyKey")] public string TopologyKey { get; set; } = "";
    /// <summary>DoNotSchedule or ScheduleAnyway.</summary>
    [JsonPropertyName("whenUnsatisfiable")] public string WhenUnsatisfiable { get; set; } = "";
    [JsonPropertyName("labelSelector")] public LabelSelector? LabelSelector { get; set; }
    [JsonPropertyName("minDomains")] public int? MinDomains { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
