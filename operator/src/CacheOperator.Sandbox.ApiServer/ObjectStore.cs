using System.Globalization;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// Every object, one global resourceVersion counter, the event history and the open watches. One lock guards
/// it all (a sandbox needs no more); callers hold <see cref="Gate"/> for every call.
/// </summary>
internal sealed class ObjectStore(int historyLimit)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<Watcher> _watchers = [];

    /// <summary>Every event after this resourceVersion is still in the history.</summary>
    private long _historyStart;

    public Lock Gate { get; } = new();

    public long ResourceVersion { get; private set; }

    public string ResourceVersionString => ResourceVersion.ToString(CultureInfo.InvariantCulture);

    public static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    /// <summary>The stored instance: read it, never change it.</summary>
    public JsonObject? Peek(string storeKey, string? ns, string name) =>
        _objects.TryGetValue(storeKey, out var bucket) && bucket.TryGetValue(Key(ns, name), out var obj) ? obj : null;

    /// <summary>Stored objects in key order (namespace, then name), optionally after a continue key.</summary>
    public IEnumerable<KeyValuePair<string, JsonObject>> Scan(string storeKey, string? ns)
    {
        if (!_objects.TryGetValue(storeKey, out var bucket))
        {
            return [];
        }

        return ns is null ? bucket : bucket.Where(p => p.Key.StartsWith(ns + "/", StringComparison.Ordinal));
    }

    public IEnumerable<(string StoreKey, JsonObject Object)> ScanAll() =>
        _objects.SelectMany(b => b.Value.Values.Select(o => (b.Key, o)));

    /// <summary>Stamps a new resourceVersion on <paramref name="obj"/>, stores it and tells the watchers.</summary>
    public void Put(string storeKey, JsonObject obj, JsonObject? previous)
    {
        var metadata = Json.Metadata(obj);
        var rv = ++ResourceVersion;
        metadata["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        if (!_objects.TryGetValue(storeKey, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[storeKey] = bucket;
        }

        bucket[Key(Json.Str(metadata, "namespace"), Json.Str(metadata, "name")!)] = obj;
        Publish(new StoredEvent(rv, storeKey, previous is null ? "ADDED" : "MODIFIED", obj, previous));
    }

    /// <summary>Removes an object; the DELETED event carries its last state with a new resourceVersion.</summary>
    public JsonObject Remove(string storeKey, JsonObject current)
    {
        var last = Json.Clone(current);
        var metadata = Json.Metadata(last);
        var rv = ++ResourceVersion;
        metadata["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        if (_objects.TryGetValue(storeKey, out var bucket))
        {
            bucket.Remove(Key(Json.Str(metadata, "namespace"), Json.Str(metadata, "name")!));
        }

        Publish(new StoredEvent(rv, storeKey, "DELETED", last, current));
        return last;
    }

    /// <summary>Loads an object as it was (snapshot restore): no event, resourceVersion kept.</summary>
    public void Restore(string storeKey, JsonObject obj, long resourceVersion)
    {
        if (!_objects.TryGetValue(storeKey, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[storeKey] = bucket;
        }

        bucket[Key(Json.Str(obj, "metadata", "namespace"), Json.Str(obj, "metadata", "name")!)] = obj;
        ResourceVersion = Math.Max(ResourceVersion, resourceVersion);
        _historyStart = ResourceVersion;
    }

    /// <summary>
    /// Opens a watch: replays history after <paramref name="fromResourceVersion"/>, or (null) sends every
    /// current object as ADDED; then the watcher receives live events. Null when the version is too old.
    /// </summary>
    public Watcher? Watch(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, long? fromResourceVersion, Func<JsonObject, JsonObject>? transform = null)
    {
        var watcher = new Watcher(type, ns, labels, fields, Math.Max(historyLimit, 1000) + 1000) { Transform = transform };
        if (fromResourceVersion is { } from)
        {
            if (from < _historyStart)
            {
                return null;
            }

            foreach (var e in _history)
            {
                if (e.ResourceVersion > from && !watcher.Offer(e))
                {
                    return watcher;
                }
            }
        }
        else
        {
            foreach (var (_, obj) in Scan(type.StoreKey, ns))
            {
                if (watcher.Matches(obj) && !watcher.Send("ADDED", obj))
                {
                    return watcher;
                }
            }
        }

        _watchers.Add(watcher);
        return watcher;
    }

    public void StopWatching(Watcher watcher)
    {
        _watchers.Remove(watcher);
        watcher.Close();
    }

    /// <summary>Forgets the history, so a watch from any earlier resourceVersion gets 410 Expired.</summary>
    public void CompactHistory()
    {
        _history.Clear();
        _historyStart = ResourceVersion;
    }

    private void Publish(StoredEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > historyLimit)
        {
            _historyStart = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            if (!_watchers[i].Offer(e))
            {
                _watchers.RemoveAt(i);
            }
        }
    }
}
