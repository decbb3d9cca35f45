namespace CacheOperator.Controllers;

/// <summary>What a reconcile asks of the queue: nothing (done), a rate-limited retry, or a visit after a delay
/// (controller-runtime's reconcile.Result). <see cref="RequeueAfter"/> wins over <see cref="Requeue"/>.</summary>
public readonly record struct ReconcileResult(bool Requeue = false, TimeSpan? RequeueAfter = null)
{
    public static ReconcileResult Done => default;

    /// <summary>Try again soon, with the key's backoff (without logging an error).</summary>
    public static ReconcileResult Retry => new(Requeue: true);

    public static ReconcileResult After(TimeSpan delay) => new(RequeueAfter: delay);
}
