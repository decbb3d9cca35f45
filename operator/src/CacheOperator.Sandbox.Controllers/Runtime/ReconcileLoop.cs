using CacheOperator.Kubernetes;

namespace CacheOperator.Sandbox.Controllers.Runtime;

/// <summary>
/// One worker over a <see cref="KeyQueue"/>: reconciles each key, re-adds it after the delay the reconcile asks
/// for, and after a failure with a per-key exponential backoff (starting at 20 ms for a 409 Conflict, which only
/// means the read was stale, and unlogged).
/// </summary>
internal sealed class ReconcileLoop(string name, KeyQueue queue, Func<string, CancellationToken, Task<TimeSpan?>> reconcile,
    Action<string> log)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);

    /// <summary>Doubles with each failure of the key in a row, up to <see cref="MaxBackoff"/>.</summary>
    private TimeSpan Backoff(string key, TimeSpan first)
    {
        int failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        return TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 12))));
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await queue.TakeAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                TimeSpan? again = await reconcile(key, ct).ConfigureAwait(false);
                _failures.Remove(key);
                if (again is TimeSpan delay)
                    queue.AddAfter(key, delay, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException ex) when (ex.IsConflict || ex.IsAlreadyExists)
            {
                queue.AddAfter(key, Backoff(key, TimeSpan.FromMilliseconds(10)), ct);
            }
#pragma warning disable CA1031 // One object's failure must not stop the controller: log, back off, retry.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                TimeSpan delay = Backoff(key, TimeSpan.FromMilliseconds(50));
                log($"{name} {key}: {ex.Message}; retrying in {delay.TotalMilliseconds:0} ms");
                queue.AddAfter(key, delay, ct);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }
}
