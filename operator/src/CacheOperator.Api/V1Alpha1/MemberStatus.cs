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

    [JsonPropertyName("replication")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("For a replica: its stream from the shard's primary. Tailing (caught up, applying writes as they happen), Connecting, Snapshot, CatchUp, Restarting, Held (broke after it was in sync: keeps its copy and waits), or the operator's WaitingForPod, WaitingForPrimary, WaitingForRouters (its copy is replaced once every router serves a ring without it), LeavingForUpdate (the next pod a pod update deletes: out of the ring first), Unreachable.")]
    public string? Replication { get; set; }

    [JsonPropertyName("replicationLag")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("For a replica: log entries (writes) it is behind its primary, as last reported by the node.")]
    public long? ReplicationLag { get; set; }
}
