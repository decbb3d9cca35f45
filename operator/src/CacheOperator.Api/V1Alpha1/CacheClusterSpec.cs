using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

/// <remarks>
/// C# initial values equal the schema defaults (a test holds them together), so an object from a server that does
/// not apply defaults reads the same as one from a server that does.
/// </remarks>
[Description("The desired cache cluster. Fields left out take the defaults shown by kubectl explain.")]
[CelRule(CelRules.MaxItemSizeFitsMemory, CelRules.MaxItemSizeFitsMemoryMessage)]
[CelRule(CelRules.MaxItemSizeFitsPoolMemory, CelRules.MaxItemSizeFitsPoolMemoryMessage)]
public sealed class CacheClusterSpec
{
    [JsonPropertyName("shards")]
    [Default(3), Minimum(1), Maximum(1024)]
    [Description("Active ring members (primaries) of the cluster's own pool. kubectl scale changes it through /scale.")]
    public int Shards { get; set; } = 3;

    [JsonPropertyName("replicasPerShard")]
    [Default(1), Minimum(1), Maximum(5)]
    [Description("Copies of each shard: 1 is a primary alone, 2 a primary and one asynchronous replica, and so on.")]
    public int ReplicasPerShard { get; set; } = 1;

    [JsonPropertyName("standbys")]
    [Default(0), Minimum(0), Maximum(64)]
    [Description("Spare pods that take over the shard of a failed primary.")]
    public int Standbys { get; set; }

    [JsonPropertyName("memory")]
    [Default("256Mi"), Pattern(QuantityPatterns.Size), MaxLength(32)]
    [CelRule(CelRules.MemoryRange, CelRules.MemoryRangeMessage)]
    [Description("Item memory per node (a quantity, 64Mi to 256Gi). The container's memory limit adds headroom to it.")]
    public string Memory { get; set; } = "256Mi";

    [JsonPropertyName("maxItemSize")]
    [Default("1Mi"), Pattern(QuantityPatterns.Size), MaxLength(32)]
    [CelRule(CelRules.MaxItemSizeRange, CelRules.MaxItemSizeRangeMessage)]
    [Description("Largest item a node stores (a quantity, 1Ki to 128Mi, at most an eighth of memory).")]
    public string MaxItemSize { get; set; } = "1Mi";

    [JsonPropertyName("pools")]
    [ListMapKey("name"), MaxItems(8)]
    [CelRule(CelRules.PrefixesDisjoint, CelRules.PrefixesDisjointMessage)]
    [Description("Extra pools chosen by key prefix (longest match wins); keys that match no prefix go to the cluster's own pool.")]
    public IList<PoolSpec> Pools { get; set; } = [];

    [JsonPropertyName("gutter")]
    [DefaultObject]
    [Description("A small pool that absorbs reads and writes for a shard that is down, with a short TTL.")]
    public GutterSpec Gutter { get; set; } = new();

    [JsonPropertyName("router")]
    [DefaultObject]
    [Description("The routers: the memcached endpoint applications talk to.")]
    public RouterSpec Router { get; set; } = new();

    [JsonPropertyName("hotKeys")]
    [DefaultObject]
    [Description("Hot-key detection in the routers: a very popular key is read from several copies on different shards.")]
    public HotKeysSpec HotKeys { get; set; } = new();

    [JsonPropertyName("warmUp")]
    [DefaultObject]
    [Description("How a new primary, replica or standby is filled from a surviving copy before it serves.")]
    public WarmUpSpec WarmUp { get; set; } = new();

    [JsonPropertyName("failover")]
    [DefaultObject]
    [Description("How the operator replaces a failed primary.")]
    public FailoverSpec Failover { get; set; } = new();

    [JsonPropertyName("image")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [MaxLength(512)]
    [Description("The cache-node image for nodes and routers. Empty: the operator's --cache-node-image.")]
    public string? Image { get; set; }

    [JsonPropertyName("imagePullPolicy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Enum(ImagePullPolicies.Always, ImagePullPolicies.IfNotPresent, ImagePullPolicies.Never)]
    [Description("Pull policy for the cache-node image. Empty: Kubernetes' default for the image's tag.")]
    public string? ImagePullPolicy { get; set; }

    [JsonPropertyName("resources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Resources of the node containers. Empty: requests and limits derived from memory.")]
    public ComputeResources? Resources { get; set; }

    [JsonPropertyName("scheduling")]
    [DefaultObject]
    [Description("Where node pods run.")]
    public SchedulingSpec Scheduling { get; set; } = new();

    [JsonPropertyName("security")]
    [DefaultObject]
    [Description("TLS, the cluster token and network policy.")]
    public SecuritySpec Security { get; set; } = new();

    [JsonPropertyName("paused")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("While true the operator changes nothing for this cluster (it still reports status).")]
    public bool? Paused { get; set; }
}
