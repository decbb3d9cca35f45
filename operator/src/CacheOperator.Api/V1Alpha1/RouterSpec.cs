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

    [JsonPropertyName("pollMicroseconds")]
    [Default(0), Minimum(0), Maximum(1000)]
    [Description("How long a router I/O thread keeps polling for work before it sleeps, in microseconds; 0 sleeps at once. "
                 + "Polling saves waking a sleeping core for every request (tens of microseconds each), but the thread spins, "
                 + "spending CPU while idle, for up to this long after each burst of work. Only for router pods with whole CPUs "
                 + "of their own (Guaranteed QoS: integer CPU requests equal to limits); under a CPU limit it uses up the quota. "
                 + "Try 30. Passed to the routers as CACHE_NODE_POLL_US; a change rolls the router pods.")]
    public int PollMicroseconds { get; set; }

    [JsonPropertyName("resources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("Resources of the router containers.")]
    public ComputeResources? Resources { get; set; }
}
