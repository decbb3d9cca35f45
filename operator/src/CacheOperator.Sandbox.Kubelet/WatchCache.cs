using System.Collections.Concurrent;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// An informer in miniature: list, then watch from the list's resourceVersion; a watch that ends is resumed
/// from the last version seen, an expired one (410) or an error leads to a fresh list, after a backoff.
/// Objects that vanish between two lists are reported as deleted.
/// </summary>
public sealed class WatchCache<T>(IKubernetesClient client, ListOptions selector, ILogger logger) where T : KubernetesObject
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called for every add or change (and for every object of each list).</summary>
    public event Action<T>? Upserted;

    /// <summary>Called when an object is deleted (with its last state).</summary>
    public event Action<T>? Deleted;

    /// <summary>Completes after the first list.</summary>
    public Task Synced => _synced.Task;

    public T? Get(string? ns, string name) => _items.TryGetValue(Key(ns, name), out var item) ? item : null;

    public IReadOnlyList<T> Items => [.. _items.Values];

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var version = await ListAsync(ct).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(200);
                while (!ct.IsCancellationRequested)
                {
                    var options = selector with { ResourceVersion = version, AllowWatchBookmarks = true, TimeoutSeconds = 300 };
                    await foreach (var change in client.WatchAsync<T>(null, options, ct).ConfigureAwait(false))
                    {
                        version = change.Object.Metadata.ResourceVersion ?? version;
                        Apply(change);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Whatever went wrong, an informer that stops watching would leave the kubelet blind: list again.
                if (!(e is KubernetesApiException { IsExpired: true }))
                    logger.LogDebug(e, "watch of {Kind} failed; listing again", typeof(T).Name);
                try
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task<string?> ListAsync(CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cont = null;
        string? version;
        do
        {
            var page = await client.ListAsync<T>(null, selector with { Continue = cont, Limit = 500 }, ct).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                var key = Key(item.Metadata.Namespace, item.Metadata.Name ?? "");
                seen.Add(key);
                _items[key] = item;
                Upserted?.Invoke(item);
            }

            version = page.Metadata.ResourceVersion;
            cont = page.Metadata.Continue;
        } while (!string.IsNullOrEmpty(cont));

        foreach (var (key, item) in _items)
        {
            if (!seen.Contains(key) && _items.TryRemove(key, out _))
                Deleted?.Invoke(item);
        }

        _synced.TrySetResult();
        return version;
    }

    private void Apply(WatchEvent<T> change)
    {
        var key = Key(change.Object.Metadata.Namespace, change.Object.Metadata.Name ?? "");
        switch (change.Type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                _items[key] = change.Object;
                Upserted?.Invoke(change.Object);
                break;
            case WatchEventType.Deleted:
                _items.TryRemove(key, out _);
                Deleted?.Invoke(change.Object);
                break;
            case WatchEventType.Bookmark:
                break;
        }
    }

    private static string Key(string? ns, string name) => $"{ns}/{name}";
}
