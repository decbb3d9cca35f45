using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("One node pod.")]
public sealed class MemberStatus
{
    [JsonPropertyName("name")]
    [Description("The pod's name.")]
    public string Name { get; set; } = "";

    [JsonPropertyName("pool")]
    [Description("The pool it belongs to (\"default\" for the cluster's own).")]
    public string Pool { get; set; } = "";

    [JsonPropertyName("role")]
    [Enum(MemberRoles.Primary, MemberRoles.Replica, MemberRoles.Standby)]
    [Description("primary, replica or standby.")]
    public string Role { get; set; } = MemberRoles.Standby;

    [JsonPropertyName("shard")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("The shard it holds (\"shard-0\", ...); empty for a standby.")]
    public string? Shard { get; set; }

    [JsonPropertyName("ready")]
    [Description("Whether the pod is ready.")]
    public bool Ready { get; set; }
}
