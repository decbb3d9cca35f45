using CacheOperator.Reconciler.Ring;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// What lowering replicasPerShard or standbys does to a pool's members (<see cref="ShrinkLayout.Plan"/>), or why it
/// cannot. <paramref name="During"/> is the pool while the routers are brought to a ring without the leaving copies:
/// same shape and pods, the copies that go marked retiring, promoted replicas already primaries.
/// </summary>
/// <param name="Leaving">The pods the shrunk StatefulSet deletes (the highest ordinals).</param>
/// <param name="Demoted">Kept pods whose copy is surplus: standbys to be emptied once the operation is done.</param>
/// <param name="Refusal">Why the layout cannot be lowered, for a person; null when it can.</param>
/// <param name="Copies">
/// Shards with too few copies among the kept ordinals: the kept pods that must copy them first (<see cref="ShrinkLayout.WithCopies"/>).
/// When set, <paramref name="During"/> is null: the lowering is judged again once every copy tails.
/// </param>
public sealed record ShrinkPlan(
    PoolAssignment? During, IReadOnlyList<ShrinkPromotion> Promotions, IReadOnlyList<string> Leaving, IReadOnlyList<string> Demoted, string? Refusal,
    IReadOnlyList<ShrinkCopy>? Copies = null)
{
    public static ShrinkPlan Refused(string reason) => new(null, [], [], [], reason);

    public static ShrinkPlan CopyFirst(IReadOnlyList<ShrinkCopy> copies) => new(null, [], [], [], null, copies);
}
