using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("TLS for client connections.")]
[CelRule(CelRules.TlsSecretRequired, CelRules.TlsSecretRequiredMessage)]
public sealed class TlsSpec
{
    [JsonPropertyName("enabled")]
    [Default(false)]
    [Description("Serve memcached over TLS.")]
    public bool Enabled { get; set; }

    [JsonPropertyName("secretName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [MaxLength(253)]
    [Description("A kubernetes.io/tls Secret with the server certificate and key. Required when enabled.")]
    public string? SecretName { get; set; }
}
