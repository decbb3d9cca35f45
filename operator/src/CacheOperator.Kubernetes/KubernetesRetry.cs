namespace CacheOperator.Kubernetes;

/// <summary>
/// Optimistic concurrency for callers: a read-modify-write that lost a race (409 Conflict) is run again from
/// the read. The client itself never retries a 409, because only the caller can redo the read.
/// </summary>
public static class KubernetesRetry
{
    public const int DefaultAttempts = 5;

    /// <summary>Runs <paramref name="readModifyWrite"/> up to <paramref name="attempts"/> times while it fails with
    /// a conflict; the last conflict propagates. AlreadyExists (also 409) is not a conflict and is not retried.</summary>
    public static async Task OnConflictAsync(Func<Task> readModifyWrite, int attempts = DefaultAttempts,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(readModifyWrite);
        await OnConflictAsync(async () =>
        {
            await readModifyWrite().ConfigureAwait(false);
            return true;
        }, attempts, ct).ConfigureAwait(false);
    }

    public static async Task<T> OnConflictAsync<T>(Func<Task<T>> readModifyWrite, int attempts = DefaultAttempts,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(readModifyWrite);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await readModifyWrite().ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsConflict && attempt < attempts)
            {
                // A short random pause lets the writer that won finish; two losers do not collide again in step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct).ConfigureAwait(false);
            }
        }
    }
}
