using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Api.V1Alpha1;

[Description("What the operator observed and did. Rebuilt from the world on every reconcile.")]
public sealed class CacheClusterStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation this status describes.")]
    public long ObservedGeneration { get; set; }

    [JsonPropertyName("phase")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Enum(ClusterPhases.Pending, ClusterPhases.Creating, ClusterPhases.Running, ClusterPhases.Degraded,
        ClusterPhases.Scaling, ClusterPhases.Failed)]
    [Description("A one-word summary; the conditions say more.")]
    public string? Phase { get; set; }

    [JsonPropertyName("conditions")]
    [ListMapKey("type")]
    [Description("Ready, Progressing and Degraded, each with the observedGeneration it was computed for.")]
    public IList<Condition> Conditions { get; set; } = [];

    [JsonPropertyName("ringVersion")]
    [Description("Version of the ring the operator last published.")]
    public long RingVersion { get; set; }

    [JsonPropertyName("shards")]
    [Description("Shards of the cluster's own pool in the published ring (the /scale subresource's replicas).")]
    public int Shards { get; set; }

    [JsonPropertyName("readyShards")]
    [Description("Shards, over all pools, whose primary is ready.")]
    public int ReadyShards { get; set; }

    [JsonPropertyName("readyMembers")]
    [Description("Node pods, over all pools, that are ready.")]
    public int ReadyMembers { get; set; }

    [JsonPropertyName("readyText")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Ready members out of all members, as kubectl get shows it (\"5/6\").")]
    public string? ReadyText { get; set; }

    [JsonPropertyName("selector")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Label selector of the cluster's own pool's pods (the /scale subresource's selector).")]
    public string? Selector { get; set; }

    [JsonPropertyName("members")]
    [ListMapKey("name")]
    [Description("Every node pod and its place in the ring.")]
    public IList<MemberStatus> Members { get; set; } = [];

    [JsonPropertyName("warmUps")]
    [Description("Warm-up streams in progress.")]
    public IList<WarmUpStatus> WarmUps { get; set; } = [];

    [JsonPropertyName("routers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("The routers and the ring version they serve.")]
    public RouterStatus? Routers { get; set; }

    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("A human-readable note, such as why a spec was refused.")]
    public string? Message { get; set; }
}
