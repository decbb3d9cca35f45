using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Sandbox.Controllers.Runtime;

/// <summary>
/// List, then watch from the list's resourceVersion, forever: every object seen (listed, added, modified or
/// deleted) is handed to <c>onObject</c>, which only enqueues keys — decisions are made later from a fresh read.
/// A watch that ends is resumed from the last resourceVersion seen; 410 Expired re-lists; other errors back off
/// (bounded) and retry, so a restarted API server is picked up again.
/// </summary>
internal sealed class WatchLoop<T>(IKubernetesClient client, string? ns, Action<WatchEventType, T> onObject, Action<string> log)
    where T : KubernetesObject
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes after the first full list has been handed out.</summary>
    public Task Synced => _synced.Task;

    public async Task RunAsync(CancellationToken ct)
    {
        string? resourceVersion = null;
        TimeSpan backoff = TimeSpan.FromMilliseconds(100);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(ct).ConfigureAwait(false);
                var options = new ListOptions { ResourceVersion = resourceVersion, AllowWatchBookmarks = true, TimeoutSeconds = 300 };
                long started = Environment.TickCount64;
                await foreach (WatchEvent<T> e in client.WatchAsync<T>(ns, options, ct).ConfigureAwait(false))
                {
                    resourceVersion = e.Object.Metadata.ResourceVersion ?? resourceVersion;
                    if (e.Type != WatchEventType.Bookmark)
                        onObject(e.Type, e.Object);
                    backoff = TimeSpan.FromMilliseconds(100);
                }
                // A server that keeps closing watches at once must not turn this loop into a busy one.
                if (Environment.TickCount64 - started < 1000)
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException ex) when (ex.IsExpired)
            {
                resourceVersion = null;
            }
#pragma warning disable CA1031 // A watch loop must outlive any error: it logs, backs off and starts over.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                log($"watch {typeof(T).Name}: {ex.Message}; retrying in {backoff.TotalMilliseconds:0} ms");
                resourceVersion = null;
                try
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task<string?> ListAsync(CancellationToken ct)
    {
        string? resourceVersion = null;
        string? continueToken = null;
        do
        {
            KubernetesList<T> page = await client.ListAsync<T>(ns, new ListOptions { Limit = 500, Continue = continueToken }, ct)
                .ConfigureAwait(false);
            foreach (T item in page.Items)
                onObject(WatchEventType.Added, item);
            resourceVersion ??= page.Metadata.ResourceVersion;
            continueToken = page.Metadata.Continue;
        }
        while (!string.IsNullOrEmpty(continueToken));
        _synced.TrySetResult();
        return resourceVersion;
    }
}
