using System.Text.Json.Nodes;
using System.Threading.Channels;
using CacheOperator.Controllers;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes.Fakes;

/// <summary>
/// An API server in a dictionary, behind <see cref="IKubernetesClient"/>. Objects are kept as JSON, so any typed
/// kind with a [KubernetesResource] attribute works, and every read returns a fresh copy.
/// <para>
/// Behaves like the real server where the operator depends on it: uid, creationTimestamp, one global
/// resourceVersion counter, generation bumped on spec changes only, status written only through the status
/// subresource (except for kinds without one), 409 on a stale replace, AlreadyExists, label and field selectors,
/// paged lists, watches resumable from a bounded history (410 when compacted), no-op updates that change nothing,
/// finalizers and deletionTimestamp, garbage collection of dependents by owner uid.
/// </para>
/// <para>
/// Simplifications, on purpose: server-side apply is a JSON merge patch of the applied object, and a field the same
/// manager applied last time but no longer applies is removed unless another manager's last apply has it (no
/// managedFields, no ownership taken over by plain updates, lists replaced whole); strategic merge is a merge patch; garbage collection runs synchronously inside the delete that removes the owner (a real cluster
/// does it moments later); Foreground propagation acts like Background; list pages after the first show current
/// state, not a snapshot; namespaces need not exist.
/// </para>
/// Test hooks: <see cref="FailNext(FakeVerb, int, Status, string?)"/>, <see cref="Interceptor"/>,
/// <see cref="Requests"/>, <see cref="ExpireHistory"/>, <see cref="CloseWatches"/>, <see cref="SendBookmarks"/>.
/// </summary>
public sealed partial class InMemoryKubernetesClient : IKubernetesClient
{
    /// <summary>Guards everything below: the store, the history, the watchers, the log, the faults.</summary>
    private readonly Lock _lock = new();

    /// <summary>Resource key ("group/plural") → "ns/name" → the stored JSON, never mutated once stored.</summary>
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _store = new(StringComparer.Ordinal);

    /// <summary>Resource key → its kind's info, for the store's cross-kind walks (garbage collection).</summary>
    private readonly Dictionary<string, ResourceInfo> _infos = new(StringComparer.Ordinal);

    /// <summary>Recent events, oldest first, for watches that resume from a resourceVersion.</summary>
    private readonly LinkedList<StoredEvent> _history = new();

    /// <summary>Object ("group/plural|ns/name") → field manager → what it last applied, so a later apply by the same
    /// manager can remove the fields it no longer sets.</summary>
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _applied = new(StringComparer.Ordinal);

    private readonly List<Watcher> _watchers = [];
    private readonly List<FakeRequest> _requests = [];
    private readonly List<Fault> _faults = [];
    private readonly TimeProvider _time;
    private readonly int _historyCapacity;

    /// <summary>The last resourceVersion handed out.</summary>
    private long _resourceVersion;

    /// <summary>Watches must resume from at least this resourceVersion; older ones get 410 Expired.</summary>
    private long _compactedResourceVersion;

    public InMemoryKubernetesClient(TimeProvider? time = null, int historyCapacity = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(historyCapacity);
        _time = time ?? TimeProvider.System;
        _historyCapacity = historyCapacity;
    }

    /// <summary>
    /// Called (outside the store's lock) for every request before it runs; a non-null Status fails the request
    /// with it. May block to simulate a slow server.
    /// </summary>
    public Func<FakeRequest, Status?>? Interceptor { get; set; }

    public long CurrentResourceVersion
    {
        get { lock (_lock) return _resourceVersion; }
    }

    /// <summary>A copy of the request log, oldest first.</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get { lock (_lock) return [.. _requests]; }
    }

    /// <summary>The logged calls that changed the store.</summary>
    public IReadOnlyList<FakeRequest> Mutations
    {
        get { lock (_lock) return _requests.Where(r => r.Changed).ToList(); }
    }

    public void ClearRequests()
    {
        lock (_lock)
            _requests.Clear();
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="verb"/> (on <paramref name="kind"/>, or
    /// any kind when null) fail with <paramref name="status"/> without touching the store.</summary>
    public void FailNext(FakeVerb verb, int count, Status status, string? kind = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_lock)
            _faults.Add(new Fault(verb, kind, status) { Remaining = count });
    }

    /// <summary>Shorthand: fail with a Status of this code (and the usual reason for it).</summary>
    public void FailNext(FakeVerb verb, int count, int code, string? kind = null)
        => FailNext(verb, count, FakeErrors.Status(code), kind);

    /// <summary>
    /// Forgets the watch history: a watch resuming from any resourceVersion before now gets 410 Expired, as after
    /// an etcd compaction. Open watches go on.
    /// </summary>
    public void ExpireHistory()
    {
        lock (_lock)
        {
            _history.Clear();
            _compactedResourceVersion = _resourceVersion;
        }
    }

    /// <summary>Ends every open watch: normally (the client re-watches), or with <paramref name="error"/>
    /// (e.g. a 410 Status, which the client sees as a <see cref="KubernetesApiException"/>).</summary>
    public void CloseWatches(Status? error = null)
    {
        lock (_lock)
        {
            foreach (Watcher watcher in _watchers)
                watcher.Channel.Writer.TryComplete(error is null ? null : new KubernetesApiException(error));
            _watchers.Clear();
        }
    }

    /// <summary>Sends a BOOKMARK carrying the current resourceVersion to every watch that allows bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (_lock)
        {
            foreach (Watcher watcher in _watchers.Where(w => w.Bookmarks))
            {
                var bookmark = new JsonObject
                {
                    ["apiVersion"] = watcher.Info.Attribute.ApiVersion,
                    ["kind"] = watcher.Info.Kind,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(_resourceVersion) },
                };
                watcher.Channel.Writer.TryWrite(new WatchItem(WatchEventType.Bookmark, bookmark));
            }
        }
    }

    /// <summary>How many watches are open (lets a test wait until an informer is watching).</summary>
    public int OpenWatchCount
    {
        get { lock (_lock) return _watchers.Count; }
    }

    /// <summary>A change to the store, as watches see it.</summary>
    private sealed record StoredEvent(long ResourceVersion, string Resource, string? Namespace, WatchEventType Type,
        JsonObject Object, JsonObject? Previous);

    private readonly record struct WatchItem(WatchEventType Type, JsonObject Object);

    private sealed record Watcher(ResourceInfo Info, string? Namespace, LabelSelectorExpression Labels, FieldSelector? Fields,
        bool Bookmarks, Channel<WatchItem> Channel);

    private sealed record Fault(FakeVerb Verb, string? Kind, Status Status)
    {
        public int Remaining { get; set; }
    }
}
