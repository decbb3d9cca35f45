using System.Globalization;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Controllers;

/// <summary>
/// Keeps <see cref="Cache"/> in step with the API server, client-go's reflector in small: list (in pages), then
/// watch from the list's resourceVersion; a watch that ends is resumed from the last resourceVersion seen (events
/// and bookmarks advance it); a 410 or any error re-lists after a growing delay, and a re-list reports objects
/// gone meanwhile as deletes. Handlers see adds, updates and deletes.
/// </summary>
public sealed class Informer<T> where T : KubernetesObject
{
    /// <summary>A watch ending sooner than this with no events counts as trouble (backs off instead of spinning).</summary>
    private static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);

    private readonly IKubernetesClient _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _kind;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InformerHandler<T>[] _handlers = [];
    private int _started;
    private string? _lastResourceVersion;
    private int _listCount;

    public Informer(IKubernetesClient client, InformerOptions? options = null, ILogger? logger = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new InformerOptions();
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _kind = KubernetesResource.Of<T>().Kind;
    }

    public InformerCache<T> Cache { get; } = new();

    /// <summary>True once the first list has been stored and handed to the handlers.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Where the next watch resumes.</summary>
    public string? LastResourceVersion => Volatile.Read(ref _lastResourceVersion);

    /// <summary>How many full lists have completed (the first one and every re-list).</summary>
    public int ListCount => Volatile.Read(ref _listCount);

    /// <summary>Adds callbacks; only before <see cref="RunAsync"/>, so no handler misses the initial adds.</summary>
    public void AddHandler(InformerHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Volatile.Read(ref _started) != 0)
            throw new InvalidOperationException("handlers must be added before the informer runs");
        _handlers = [.. _handlers, handler];
    }

    public Task WaitForSyncAsync(CancellationToken ct = default) => _synced.Task.WaitAsync(ct);

    /// <summary>Lists and watches until <paramref name="ct"/> is cancelled; completes then (no exception).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            throw new InvalidOperationException("an informer runs once");
        var backoff = new ExponentialBackoff(_options.InitialRelistDelay, _options.MaxRelistDelay, time: _time);
        string? resourceVersion = null;
        while (!ct.IsCancellationRequested)
        {
            TimeSpan? delay = null;
            try
            {
                resourceVersion ??= await ListAsync(ct).ConfigureAwait(false);
                DateTimeOffset started = _time.GetUtcNow();
                (resourceVersion, int events) = await WatchAsync(resourceVersion, ct).ConfigureAwait(false);
                if (events == 0 && _time.GetUtcNow() - started < ShortWatch)
                    delay = backoff.Next();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (KubernetesApiException e) when (e.IsExpired)
            {
                delay = backoff.Next();
                ControllersLog.WatchExpired(_logger, _kind, resourceVersion, delay.Value);
                resourceVersion = null;
            }
#pragma warning disable CA1031 // the loop must survive any failure of the server or the connection
            catch (Exception e)
#pragma warning restore CA1031
            {
                delay = backoff.Next();
                ControllersLog.ListWatchFailed(_logger, e, _kind, delay.Value);
                resourceVersion = null;
            }
            if (delay is TimeSpan wait)
            {
                try
                {
                    await Task.Delay(wait, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private ListOptions Options(string? resourceVersion = null, string? continueToken = null, int? timeoutSeconds = null) => new()
    {
        LabelSelector = _options.LabelSelector,
        FieldSelector = _options.FieldSelector,
        Limit = resourceVersion is null ? _options.PageSize : 0,
        Continue = continueToken,
        ResourceVersion = resourceVersion,
        AllowWatchBookmarks = resourceVersion is not null,
        TimeoutSeconds = timeoutSeconds,
    };

    private string? Namespace => string.IsNullOrEmpty(_options.Namespace) ? null : _options.Namespace;

    /// <summary>Lists every page, replaces the cache, tells the handlers; returns the list's resourceVersion.</summary>
    private async Task<string> ListAsync(CancellationToken ct)
    {
        var items = new List<T>();
        string? resourceVersion = null;
        string? continueToken = null;
        do
        {
            KubernetesList<T> page = await _client.ListAsync<T>(Namespace, Options(continueToken: continueToken), ct)
                .ConfigureAwait(false);
            items.AddRange(page.Items);
            resourceVersion ??= page.Metadata.ResourceVersion;
            continueToken = page.Metadata.Continue;
        }
        while (!string.IsNullOrEmpty(continueToken));
        if (string.IsNullOrEmpty(resourceVersion))
            throw new InvalidOperationException($"the {_kind} list has no resourceVersion to watch from");

        var (added, updated, deleted) = Cache.Replace(items);
        foreach (T item in deleted)
            Dispatch(h => h.OnDelete?.Invoke(item));
        foreach (T item in added)
            Dispatch(h => h.OnAdd?.Invoke(item));
        foreach (var (old, item) in updated)
            Dispatch(h => h.OnUpdate?.Invoke(old, item));
        Volatile.Write(ref _lastResourceVersion, resourceVersion);
        Interlocked.Increment(ref _listCount);
        ControllersLog.Listed(_logger, _kind, items.Count, resourceVersion);
        _synced.TrySetResult();
        return resourceVersion;
    }

    /// <summary>One watch request; returns the resourceVersion to resume from and how many events came.</summary>
    private async Task<(string ResourceVersion, int Events)> WatchAsync(string resourceVersion, CancellationToken ct)
    {
        int min = (int)_options.MinWatchTimeout.TotalSeconds;
        int max = Math.Max(min, (int)_options.MaxWatchTimeout.TotalSeconds);
        int timeout = Math.Max(1, Random.Shared.Next(min, max + 1));
        int events = 0;
        await foreach (WatchEvent<T> e in _client.WatchAsync<T>(Namespace, Options(resourceVersion, timeoutSeconds: timeout), ct)
            .ConfigureAwait(false))
        {
            events++;
            switch (e.Type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    T? old = Cache.Upsert(e.Object);
                    if (old is null)
                        Dispatch(h => h.OnAdd?.Invoke(e.Object));
                    else
                        Dispatch(h => h.OnUpdate?.Invoke(old, e.Object));
                    break;
                case WatchEventType.Deleted:
                    Cache.Remove(ObjectKey.Of(e.Object));
                    Dispatch(h => h.OnDelete?.Invoke(e.Object));
                    break;
                case WatchEventType.Bookmark:
                    break;
            }
            if (!string.IsNullOrEmpty(e.Object.Metadata.ResourceVersion))
            {
                resourceVersion = e.Object.Metadata.ResourceVersion;
                Volatile.Write(ref _lastResourceVersion, resourceVersion);
            }
        }
        return (resourceVersion, events);
    }

    private void Dispatch(Action<InformerHandler<T>> call)
    {
        foreach (InformerHandler<T> handler in _handlers)
        {
            try
            {
                call(handler);
            }
#pragma warning disable CA1031 // one handler's bug must not stop the informer or the other handlers
            catch (Exception e)
#pragma warning restore CA1031
            {
                ControllersLog.HandlerFailed(_logger, e, _kind);
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Informer<{_kind}> synced={HasSynced} rv={LastResourceVersion} objects={Cache.Count}");
}
