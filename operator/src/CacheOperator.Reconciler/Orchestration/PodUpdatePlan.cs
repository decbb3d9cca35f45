using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>What the pod updater concluded for one reconcile (<see cref="PodUpdater.PlanAsync"/>).</summary>
public sealed record PodUpdatePlan
{
    /// <summary>Nothing to update and nothing left to wait for.</summary>
    public static PodUpdatePlan Idle { get; } = new() { Revision = "" };

    /// <summary>The StatefulSets' update revision(s), for messages.</summary>
    public required string Revision { get; init; }

    /// <summary>Member pods at the update revision, of <see cref="Total"/>.</summary>
    public int Updated { get; init; }

    public int Total { get; init; }

    /// <summary>The member to update next (the first outdated one in the order standbys, replicas, primaries).</summary>
    public PoolMember? Next { get; init; }

    public string? NextPool { get; init; }

    /// <summary>Its pod's uid: the delete is conditional on it, so a pod recreated meanwhile is never deleted twice.</summary>
    public string? NextUid { get; init; }

    /// <summary>What the update waits for (one clause), or what it did; shown in status.</summary>
    public string? Message { get; init; }

    /// <summary>The assignment to store when a switchover changed it this reconcile; null otherwise.</summary>
    public MemberAssignment? Members { get; init; }

    /// <summary>Replicas the replica mechanism leaves out of the ring and does not re-point: the next to delete.</summary>
    public IReadOnlySet<string> Leaving { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The cluster is calm and <see cref="Next"/> may be deleted once no ring routers serve lists it as a copy.</summary>
    public bool MayDelete { get; init; }

    /// <summary>Deleting <see cref="Next"/> loses its keys (a primary without replicas): said in the event.</summary>
    public bool Cold { get; init; }

    public IReadOnlyList<ScaleEvent> Events { get; init; } = [];

    /// <summary>Pods are outdated, or the last one updated is not yet Ready and tailing: status shows UpdatingPods.</summary>
    public bool Active { get; init; }
}
