using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models;

/// <summary>One expression of a LabelSelector.</summary>
public sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    /// <summary>In, NotIn, Exists or DoesNotExist.</summary>
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";
    [JsonPropertyName("values")] public IList<string>? Values { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
