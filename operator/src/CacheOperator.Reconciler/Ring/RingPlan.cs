using CacheOperator.Ring;

namespace CacheOperator.Reconciler.Ring;

/// <summary>The ring to publish and the assignment it was built from.</summary>
public sealed record RingPlan
{
    public required CacheRing Ring { get; init; }

    /// <summary>The ring document (compact: fragmented tables get large, a ConfigMap holds 1 MiB).</summary>
    public required string RingJson { get; init; }

    public required MemberAssignment Assignment { get; init; }

    public required string MembersJson { get; init; }

    /// <summary>The pools as they are actually run (the assignment's shape, not necessarily the spec's).</summary>
    public required IReadOnlyList<PoolTopology> Pools { get; init; }

    /// <summary>The document differs from the previous one (and so carries a higher version).</summary>
    public required bool Changed { get; init; }

    /// <summary>Spec changes the ring does not follow yet, one sentence each.</summary>
    public required IReadOnlyList<string> PendingChanges { get; init; }

    /// <summary>The scale operation to store beside the ring; null when there never was one.</summary>
    public string? OrchestrationJson { get; init; }

    public long Version => Ring.Version;
}
