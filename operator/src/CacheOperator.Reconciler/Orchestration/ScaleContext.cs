using CacheOperator.Reconciler.Naming;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>What one scale step looks at: the spec's pools, the ring ConfigMap's keys, pods and routers.</summary>
public sealed record ScaleContext
{
    public required ClusterNames Names { get; init; }

    public required IReadOnlyList<PoolTopology> WantedPools { get; init; }

    public string? RingJson { get; init; }

    public string? MembersJson { get; init; }

    public string? OrchestrationJson { get; init; }

    public required IReadOnlyDictionary<string, ObservedPod> Pods { get; init; }

    /// <summary>IPs of the ready router pods.</summary>
    public IReadOnlyList<string> RouterIPs { get; init; } = [];

    public int RoutersDesired { get; init; }

    public required string Token { get; init; }

    public long MaxLagItems { get; init; } = 1000;

    public TimeSpan WarmUpTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>spec.warmUp.bytesPerSecond: each warm-up stream's cap; null for none.</summary>
    public long? WarmUpBytesPerSecond { get; init; }

    /// <summary>
    /// Ready replica pods whose stream holds a whole copy of their shard (Tailing or Held), as their nodes reported
    /// this reconcile: only those may take over a shard when lowering replicasPerShard. Null when not observed.
    /// </summary>
    public IReadOnlySet<string>? WholeCopies { get; init; }

    /// <summary>
    /// The replica pulls each ready replica's node reported this reconcile, by pod: a copy made for a lowering is done
    /// when its pull from its shard's current primary tails. Null when not observed.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>>? ReplicaPulls { get; init; }

    public required DateTimeOffset Now { get; init; }
}
