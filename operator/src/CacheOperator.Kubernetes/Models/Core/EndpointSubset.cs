using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>Addresses sharing the same ports.</summary>
public sealed class EndpointSubset
{
    [JsonPropertyName("addresses")] public IList<EndpointAddress>? Addresses { get; set; }
    [JsonPropertyName("notReadyAddresses")] public IList<EndpointAddress>? NotReadyAddresses { get; set; }
    [JsonPropertyName("ports")] public IList<EndpointPort>? Ports { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
