using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("Container resources, as in a pod's resources: requests and limits by resource name (cpu, memory).")]
public sealed class ComputeResources
{
    [JsonPropertyName("requests")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(QuantityMapConverter))]
    [IntOrString, Pattern(QuantityPatterns.Kubernetes)]
    [Description("Resources the scheduler reserves for the container.")]
    public IDictionary<string, string>? Requests { get; set; }

    [JsonPropertyName("limits")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(QuantityMapConverter))]
    [IntOrString, Pattern(QuantityPatterns.Kubernetes)]
    [Description("The most the container may use.")]
    public IDictionary<string, string>? Limits { get; set; }
}
