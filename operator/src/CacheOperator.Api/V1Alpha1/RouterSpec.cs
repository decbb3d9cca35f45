using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("The router Deployment and how it spreads requests.")]
public sealed class RouterSpec
{
    [JsonPropertyName("replicas")]
    [Default(2), Minimum(0), Maximum(100)]
    [Description("Router pods; 0 leaves clients to read the ring and hash keys themselves.")]
    public int Replicas { get; set; } = 2;

    [JsonPropertyName("readStrategy")]
    [Default(ReadStrategies.Random), Enum(ReadStrategies.Random, ReadStrategies.LeastOutstanding)]
    [Description("Which copy of a replicated shard serves a read: random, or the one with the fewest requests in flight.")]
    public string ReadStrategy { get; set; } = ReadStrategies.Random;

    [JsonPropertyName("writeAck")]
    [Default(WriteAcks.All), Enum(WriteAcks.All, WriteAcks.First)]
    [Description("When a write to a replicated pool is acknowledged: after every copy, or after the first.")]
    public string WriteAck { get; set; } = WriteAcks.All;

    [JsonPropertyName("resources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Resources of the router containers.")]
    public ComputeResources? Resources { get; set; }
}
