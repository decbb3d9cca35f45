namespace CacheOperator.Reconciler.Reconcile;

/// <summary>What a reconcile asks of the queue: nothing (the next change will bring the cluster back) or a requeue.</summary>
public sealed record ReconcileOutcome(TimeSpan? RequeueAfter)
{
    public static ReconcileOutcome Done { get; } = new((TimeSpan?)null);
}
