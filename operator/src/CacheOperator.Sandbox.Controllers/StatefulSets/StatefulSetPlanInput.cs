namespace CacheOperator.Sandbox.Controllers.StatefulSets;

/// <summary>What <see cref="StatefulSetPlanner"/> decides from: the set's wishes and its pods as they are.</summary>
public sealed record StatefulSetPlanInput(string Name, int Replicas, string UpdateRevision, IReadOnlyList<PodFacts> Pods)
{
    /// <summary>podManagementPolicy Parallel; false = OrderedReady (the default).</summary>
    public bool Parallel { get; init; }

    /// <summary>updateStrategy RollingUpdate (the default); false = OnDelete.</summary>
    public bool RollingUpdate { get; init; } = true;

    /// <summary>Ordinals below the partition are left at their revision by a rolling update.</summary>
    public int Partition { get; init; }
}
