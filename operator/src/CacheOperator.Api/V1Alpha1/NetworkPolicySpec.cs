using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("A NetworkPolicy that lets only routers, peers and the operator reach node pods.")]
public sealed class NetworkPolicySpec
{
    [JsonPropertyName("enabled")]
    [Default(true)]
    [Description("Whether the operator creates the NetworkPolicy.")]
    public bool Enabled { get; set; } = true;
}
