using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Networking;

/// <summary>Which pods the policy selects and the traffic it allows.</summary>
public sealed class NetworkPolicySpec
{
    /// <summary>Required; empty selects every pod in the namespace.</summary>
    [JsonPropertyName("podSelector")] public LabelSelector PodSelector { get; set; } = new();
    /// <summary>Ingress, Egress.</summary>
    [JsonPropertyName("policyTypes")] public IList<string>? PolicyTypes { get; set; }
    [JsonPropertyName("ingress")] public IList<NetworkPolicyIngressRule>? Ingress { get; set; }
    [JsonPropertyName("egress")] public IList<NetworkPolicyEgressRule>? Egress { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
