using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("Placement of node pods. affinity, tolerations and topologySpreadConstraints are passed to the pods as written.")]
public sealed class SchedulingSpec
{
    [JsonPropertyName("nodeSelector")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Labels a Kubernetes node must have to run node pods.")]
    public IDictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("affinity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [PreserveUnknownFields]
    [Description("A pod affinity (core/v1 Affinity). The operator adds its own anti-affinity per podAntiAffinity.")]
    public JsonObject? Affinity { get; set; }

    [JsonPropertyName("tolerations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [PreserveUnknownFields]
    [Description("Pod tolerations (core/v1 Toleration).")]
    public IList<JsonObject>? Tolerations { get; set; }

    [JsonPropertyName("topologySpreadConstraints")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [PreserveUnknownFields]
    [Description("Pod topology spread constraints (core/v1 TopologySpreadConstraint).")]
    public IList<JsonObject>? TopologySpreadConstraints { get; set; }

    [JsonPropertyName("podAntiAffinity")]
    [Default(PodAntiAffinityModes.Preferred)]
    [Enum(PodAntiAffinityModes.Preferred, PodAntiAffinityModes.Required, PodAntiAffinityModes.None)]
    [Description("Keep copies of a shard on different Kubernetes nodes: preferred (best effort), required, or none.")]
    public string PodAntiAffinity { get; set; } = PodAntiAffinityModes.Preferred;
}
