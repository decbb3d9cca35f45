using CacheOperator.Reconciler.Naming;
using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Ring;

/// <summary>Everything the next ring is derived from.</summary>
public sealed record RingPlanInput
{
    public required ClusterNames Names { get; init; }

    /// <summary>The pools the spec asks for, the default pool first.</summary>
    public required IReadOnlyList<PoolTopology> Pools { get; init; }

    public string DefaultPool { get; init; } = "default";

    public GutterTopology? Gutter { get; init; }

    public RouterSettings Router { get; init; } = RouterSettings.Default;

    /// <summary><c>ring.json</c> of the ring ConfigMap, when it exists.</summary>
    public string? PreviousRing { get; init; }

    /// <summary><c>members.json</c> of the ring ConfigMap, when it exists.</summary>
    public string? PreviousMembers { get; init; }

    /// <summary>Pod name → pod IP, for the pods that have one.</summary>
    public IReadOnlyDictionary<string, string> PodIPs { get; init; } = new Dictionary<string, string>();

    public int MemcachedPort { get; init; } = 11211;

    /// <summary>
    /// The replica pods that hold a whole copy of their shard (stream Tailing, or Held since it broke) and so may
    /// serve reads. Routers spread reads over every copy in the ring, so a replica still copying (or re-copying from
    /// a new primary) is left out until it has the data; null lists every replica (stream state unknown).
    /// </summary>
    public IReadOnlySet<string>? ServingReplicas { get; init; }

    /// <summary><c>orchestration.json</c>: the pool's scale operation, which decides the table the ring carries.</summary>
    public string? Orchestration { get; init; }
}
