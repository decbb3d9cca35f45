using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Reconcile;
using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>What the pod updater looks at in one reconcile, after failover and the scale step.</summary>
public sealed record PodUpdateInput
{
    /// <summary>The assignment about to be stored (failover's and the scale step's changes applied).</summary>
    public required MemberAssignment? Assignment { get; init; }

    /// <summary>The spec's pools: a shape that differs from the assignment is a topology change still to run.</summary>
    public required IReadOnlyList<PoolTopology> WantedPools { get; init; }

    /// <summary>The node StatefulSets by pool (their status.updateRevision), null when absent.</summary>
    public required IReadOnlyDictionary<string, StatefulSet?> StatefulSets { get; init; }

    /// <summary>The node pods as listed (labels, uid, deletion).</summary>
    public required IReadOnlyList<Pod> Pods { get; init; }

    public required IReadOnlyDictionary<string, ObservedPod> Observed { get; init; }

    /// <summary>Replicas' pulls of their own shards, as their nodes reported them this reconcile.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<ReplicaPull>> ReplicaPulls { get; init; }

    public FailoverDecision? Failover { get; init; }

    public ScaleOperation? Scale { get; init; }

    /// <summary>The cluster's status said UpdatingPods: the update is finishing until the cluster is calm again.</summary>
    public bool WasUpdating { get; init; }

    /// <summary>True when every ready router serves the stored ring (asked only when the rest is calm).</summary>
    public required Func<CancellationToken, Task<bool>> RoutersServeStoredRing { get; init; }

    public required string Token { get; init; }
}
