using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>What failover detection concluded for one reconcile.</summary>
public sealed record FailoverDecision
{
    /// <summary>The assignment to plan the ring from: the previous one with every step applied.</summary>
    public required MemberAssignment Assignment { get; init; }

    public required IReadOnlyList<FailoverStep> Steps { get; init; }

    /// <summary>The assignment differs from members.json (a step, or a recovered standby's emptying recorded) and must be stored.</summary>
    public bool Changed { get; init; }

    /// <summary>Why a failed primary was left alone (safety bound, nobody to take over), one sentence each.</summary>
    public required IReadOnlyList<string> Held { get; init; }

    /// <summary>True when a hold is the safety bound (too few pods ready to trust the detection).</summary>
    public required bool Suspended { get; init; }

    /// <summary>Some primary is not Ready: look again soon so the threshold is honoured on time.</summary>
    public required bool Watching { get; init; }

    /// <summary>
    /// The nodes were probed this reconcile: look again within <see cref="FailoverCoordinator.ProbeInterval"/> even
    /// when nothing changes, since a frozen node changes nothing Kubernetes reports until its readiness probe fails.
    /// </summary>
    public bool Probing { get; init; }

    /// <summary>The clock reading the decision was made at.</summary>
    public required DateTimeOffset DecidedAt { get; init; }
}
