using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>One endpoint address.</summary>
public sealed class EndpointAddress
{
    [JsonPropertyName("ip")] public string IP { get; set; } = "";
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
    [JsonPropertyName("nodeName")] public string? NodeName { get; set; }
    [JsonPropertyName("targetRef")] public ObjectReference? TargetRef { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
