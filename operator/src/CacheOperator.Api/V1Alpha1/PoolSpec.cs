using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("A pool of its own ring and StatefulSet, chosen by key prefix.")]
[CelRule(CelRules.PoolNameNotDefault, CelRules.PoolNameNotDefaultMessage)]
public sealed class PoolSpec
{
    [JsonPropertyName("name")]
    [Required, MinLength(1), MaxLength(20), Pattern(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    [Description("The pool's name, a DNS label of at most 20 characters; part of its StatefulSet's name.")]
    public string Name { get; set; } = "";

    [JsonPropertyName("prefixes")]
    [Required, ListSet, MinItems(1), MaxItems(16), MinLength(1), MaxLength(64), Pattern(@"^[!-~]+$")]
    [Description("Key prefixes routed to this pool (printable ASCII, no spaces). A prefix may belong to only one pool.")]
    public IList<string> Prefixes { get; set; } = [];

    [JsonPropertyName("shards")]
    [Default(1), Minimum(1), Maximum(1024)]
    [Description("Active ring members of this pool.")]
    public int Shards { get; set; } = 1;

    [JsonPropertyName("replicasPerShard")]
    [Default(1), Minimum(1), Maximum(5)]
    [Description("Copies of each shard of this pool.")]
    public int ReplicasPerShard { get; set; } = 1;

    [JsonPropertyName("standbys")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Minimum(0), Maximum(64)]
    [Description("Spare pods of this pool. Empty: the cluster's standbys.")]
    public int? Standbys { get; set; }

    [JsonPropertyName("memory")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Pattern(QuantityPatterns.Size), MaxLength(32)]
    [CelRule(CelRules.MemoryRange, CelRules.MemoryRangeMessage)]
    [Description("Item memory per node of this pool. Empty: the cluster's memory.")]
    public string? Memory { get; set; }
}
