using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("TLS, the token nodes and routers use on their admin and replication endpoints, and network policy.")]
public sealed class SecuritySpec
{
    [JsonPropertyName("tls")]
    [DefaultObject]
    [Description("TLS on the memcached ports.")]
    public TlsSpec Tls { get; set; } = new();

    [JsonPropertyName("tokenSecretName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [MaxLength(253)]
    [Description("A Secret (key 'token') holding the cluster token. Empty: the operator creates one.")]
    public string? TokenSecretName { get; set; }

    [JsonPropertyName("networkPolicy")]
    [DefaultObject]
    [Description("The NetworkPolicy the operator creates for the cluster.")]
    public NetworkPolicySpec NetworkPolicy { get; set; } = new();
}
