using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>The spec of a Service.</summary>
public sealed class ServiceSpec
{
    /// <summary>ClusterIP, NodePort, LoadBalancer or ExternalName.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    /// <summary>"None" for a headless Service.</summary>
    [JsonPropertyName("clusterIP")] public string? ClusterIP { get; set; }
    [JsonPropertyName("clusterIPs")] public IList<string>? ClusterIPs { get; set; }
    [JsonPropertyName("selector")] public IDictionary<string, string>? Selector { get; set; }
    [JsonPropertyName("ports")] public IList<ServicePort>? Ports { get; set; }
    [JsonPropertyName("publishNotReadyAddresses")] public bool? PublishNotReadyAddresses { get; set; }
    [JsonPropertyName("sessionAffinity")] public string? SessionAffinity { get; set; }
    [JsonPropertyName("internalTrafficPolicy")] public string? InternalTrafficPolicy { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
