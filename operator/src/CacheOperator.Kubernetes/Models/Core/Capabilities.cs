using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Linux capabilities to add to or drop from a container.</summary>
public sealed class Capabilities
{
    [JsonPropertyName("add")] public IList<string>? Add { get; set; }
    [JsonPropertyName("drop")] public IList<string>? Drop { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
