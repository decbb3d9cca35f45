using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models;

/// <summary>meta/v1 LabelSelector: matchLabels and matchExpressions are ANDed; an empty selector matches everything.</summary>
public sealed class LabelSelector
{
    [JsonPropertyName("matchLabels")] public IDictionary<string, string>? MatchLabels { get; set; }
    [JsonPropertyName("matchExpressions")] public IList<LabelSelectorRequirement>? MatchExpressions { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
