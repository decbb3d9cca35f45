using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CacheOperator.Controllers;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes.Fakes;

public sealed partial class InMemoryKubernetesClient
{
    /// <summary>Logs the request and throws when a fault or the interceptor says it fails.</summary>
    private FakeRequest Begin(FakeVerb verb, ResourceInfo info, string? ns, string? name, string? subresource = null)
    {
        var request = new FakeRequest
        {
            Verb = verb,
            Resource = info.Plural,
            Kind = info.Kind,
            Namespace = ns,
            Name = name,
            Subresource = subresource,
            Time = _time.GetUtcNow(),
        };
        Status? failure = null;
        lock (_lock)
        {
            _requests.Add(request);
            Fault? fault = _faults.FirstOrDefault(f => f.Verb == verb && (f.Kind is null || f.Kind == info.Kind));
            if (fault is not null)
            {
                failure = fault.Status;
                if (--fault.Remaining == 0)
                    _faults.Remove(fault);
            }
        }
        failure ??= Interceptor?.Invoke(request);
        if (failure is not null)
        {
            request.Error = failure;
            throw new KubernetesApiException(failure);
        }
        return request;
    }

    /// <summary>Runs <paramref name="operation"/> and records its error on the request.</summary>
    private static TResult Run<TResult>(FakeRequest request, Func<TResult> operation)
    {
        try
        {
            return operation();
        }
        catch (KubernetesApiException e)
        {
            request.Error = e.Status;
            throw;
        }
    }

    private string? Namespace(ResourceInfo info, string? ns)
    {
        if (!info.Namespaced)
            return null;
        if (string.IsNullOrEmpty(ns))
            throw FakeErrors.BadRequest($"{info.QualifiedName} is namespaced: a namespace is required");
        return ns;
    }

    private static string Key(string? ns, string name) => $"{ns}/{name}";

    private SortedDictionary<string, JsonObject> Table(ResourceInfo info)
    {
        if (!_store.TryGetValue(info.Key, out var table))
        {
            _store[info.Key] = table = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _infos[info.Key] = info;
        }
        return table;
    }

    private static string Rv(long rv) => rv.ToString(CultureInfo.InvariantCulture);

    private string Now() => _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject ToNode<T>(T obj, ResourceInfo info)
    {
        ArgumentNullException.ThrowIfNull(obj);
        JsonObject node = JsonSerializer.SerializeToNode(obj, KubernetesJson.Options)?.AsObject()
            ?? throw new ArgumentException("the object serialized to null", nameof(obj));
        node["apiVersion"] = info.Attribute.ApiVersion;
        node["kind"] = info.Kind;
        if (node["metadata"] is not JsonObject)
            node["metadata"] = new JsonObject();
        return node;
    }

    private static T FromNode<T>(JsonObject node) => node.Deserialize<T>(KubernetesJson.Options)!;

    private static JsonObject Meta(JsonObject node) => (JsonObject)node["metadata"]!;

    private static string? MetaString(JsonObject node, string field)
        => (node["metadata"] as JsonObject)?[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>() : null;

    private static long Generation(JsonObject node)
        => Meta(node)["generation"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? long.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : 0;

    private static Dictionary<string, string>? Labels(JsonObject node)
        => (node["metadata"] as JsonObject)?["labels"] is JsonObject labels
            ? labels.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal)
            : null;

    private static bool HasFinalizers(JsonObject node) => Meta(node)["finalizers"] is JsonArray { Count: > 0 };

    /// <summary>Copies the fields only the server sets from the stored object into a client's version of it.</summary>
    private static void KeepServerFields(JsonObject stored, JsonObject incoming, ResourceInfo info, bool statusOnly)
    {
        JsonObject meta = Meta(incoming);
        JsonObject storedMeta = Meta(stored);
        foreach (string field in (string[])["name", "namespace", "uid", "creationTimestamp", "generation",
            "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"])
        {
            if (storedMeta[field] is JsonNode value)
                meta[field] = value.DeepClone();
            else
                meta.Remove(field);
        }
        if (!info.HasStatus)
            return;
        if (statusOnly)
        {
            // The status subresource takes only status; everything else stays as stored.
            JsonNode? status = incoming["status"]?.DeepClone();
            incoming.Clear();
            foreach (var (k, v) in stored)
                incoming[k] = v?.DeepClone();
            SetOrRemove(incoming, "status", status);
        }
        else
            SetOrRemove(incoming, "status", stored["status"]?.DeepClone());
    }

    private static void SetOrRemove(JsonObject node, string field, JsonNode? value)
    {
        if (value is null)
            node.Remove(field);
        else
            node[field] = value;
    }

    /// <summary>True when anything besides metadata and status differs: what bumps generation.</summary>
    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static JsonObject Strip(JsonObject node)
        {
            var copy = node.DeepClone().AsObject();
            copy.Remove("metadata");
            copy.Remove("status");
            return copy;
        }
        return !JsonNode.DeepEquals(Strip(before), Strip(after));
    }

    /// <summary>
    /// Stores <paramref name="updated"/> (server fields already restored) in place of <paramref name="stored"/>:
    /// a no-op when nothing changed, else a new resourceVersion, generation bump on spec change, and removal
    /// when deletion is pending and the last finalizer went. Caller holds the lock.
    /// </summary>
    private JsonObject CommitUpdate(ResourceInfo info, JsonObject stored, JsonObject updated, bool statusOnly,
        FakeRequest request)
    {
        if (JsonNode.DeepEquals(stored, updated))
            return stored;
        if (!statusOnly && SpecChanged(stored, updated))
            Meta(updated)["generation"] = Generation(stored) + 1;
        request.Changed = true;
        string? ns = MetaString(updated, "namespace");
        string name = MetaString(updated, "name")!;
        if (Meta(updated)["deletionTimestamp"] is not null && !HasFinalizers(updated))
        {
            Remove(info, ns, name, updated);
            return updated;
        }
        Meta(updated)["resourceVersion"] = Rv(++_resourceVersion);
        Table(info)[Key(ns, name)] = updated;
        Publish(info, ns, WatchEventType.Modified, updated, stored);
        return updated;
    }

    /// <summary>Removes an object for good, tells watchers, and collects its dependents. Caller holds the lock.</summary>
    private void Remove(ResourceInfo info, string? ns, string name, JsonObject last)
    {
        Table(info).Remove(Key(ns, name));
        _applied.Remove($"{info.Key}|{Key(ns, name)}");
        JsonObject gone = last.DeepClone().AsObject();
        Meta(gone)["resourceVersion"] = Rv(++_resourceVersion);
        Publish(info, ns, WatchEventType.Deleted, gone, null);
        if (MetaString(gone, "uid") is string uid)
            CollectDependents(uid);
    }

    /// <summary>Deletes objects none of whose owners exist any more, as the garbage collector would.</summary>
    private void CollectDependents(string ownerUid)
    {
        var orphans = new List<(ResourceInfo Info, JsonObject Node)>();
        foreach (var (resource, table) in _store)
        {
            foreach (JsonObject node in table.Values)
            {
                List<string> owners = OwnerUids(node);
                if (owners.Contains(ownerUid) && !owners.Any(Exists))
                    orphans.Add((_infos[resource], node));
            }
        }
        foreach (var (info, node) in orphans)
        {
            string? ns = MetaString(node, "namespace");
            string name = MetaString(node, "name")!;
            // A dependent collected earlier in this loop (a chain) may already be gone.
            if (Table(info).TryGetValue(Key(ns, name), out JsonObject? current))
                DeleteStored(info, ns, name, current, orphanDependents: false, new FakeRequest
                {
                    Verb = FakeVerb.Delete, Resource = info.Plural, Kind = info.Kind, Namespace = ns, Name = name,
                });
        }
    }

    private static List<string> OwnerUids(JsonObject node)
        => Meta(node)["ownerReferences"] is JsonArray refs
            ? refs.OfType<JsonObject>().Select(r => r["uid"]?.GetValue<string>() ?? "").ToList()
            : [];

    private bool Exists(string uid)
        => _store.Values.Any(table => table.Values.Any(node => MetaString(node, "uid") == uid));

    /// <summary>Deletes a stored object: marks it when finalizers hold it, else removes it. Caller holds the lock.</summary>
    private JsonObject? DeleteStored(ResourceInfo info, string? ns, string name, JsonObject stored,
        bool orphanDependents, FakeRequest request)
    {
        if (orphanDependents && MetaString(stored, "uid") is string uid)
            Orphan(uid);
        if (HasFinalizers(stored))
        {
            if (Meta(stored)["deletionTimestamp"] is not null)
                return stored;
            JsonObject marked = stored.DeepClone().AsObject();
            Meta(marked)["deletionTimestamp"] = Now();
            Meta(marked)["deletionGracePeriodSeconds"] = 0;
            Meta(marked)["generation"] = Generation(stored) + 1;
            Meta(marked)["resourceVersion"] = Rv(++_resourceVersion);
            Table(info)[Key(ns, name)] = marked;
            Publish(info, ns, WatchEventType.Modified, marked, stored);
            request.Changed = true;
            return marked;
        }
        request.Changed = true;
        Remove(info, ns, name, stored);
        return null;
    }

    /// <summary>Propagation "Orphan": dependents lose their reference to the owner and stay.</summary>
    private void Orphan(string ownerUid)
    {
        var updates = new List<(ResourceInfo Info, JsonObject Node)>();
        foreach (var (resource, table) in _store)
        {
            foreach (JsonObject node in table.Values.Where(n => OwnerUids(n).Contains(ownerUid)))
                updates.Add((_infos[resource], node));
        }
        foreach (var (info, node) in updates)
        {
            JsonObject updated = node.DeepClone().AsObject();
            var refs = (JsonArray)Meta(updated)["ownerReferences"]!;
            foreach (JsonNode? reference in refs.Where(r => r?["uid"]?.GetValue<string>() == ownerUid).ToList())
                refs.Remove(reference);
            if (refs.Count == 0)
                Meta(updated).Remove("ownerReferences");
            CommitUpdate(info, node, updated, statusOnly: false, new FakeRequest
            {
                Verb = FakeVerb.Patch, Resource = info.Plural, Kind = info.Kind,
                Namespace = MetaString(node, "namespace"), Name = MetaString(node, "name"),
            });
        }
    }

    /// <summary>Records an event and hands it to the matching watches. Caller holds the lock.</summary>
    private void Publish(ResourceInfo info, string? ns, WatchEventType type, JsonObject obj, JsonObject? previous)
    {
        var stored = new StoredEvent(_resourceVersion, info.Key, ns, type, obj, previous);
        _history.AddLast(stored);
        while (_history.Count > _historyCapacity)
        {
            _compactedResourceVersion = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (Watcher watcher in _watchers)
        {
            if (Translate(watcher, stored) is WatchItem item)
                watcher.Channel.Writer.TryWrite(item);
        }
    }

    /// <summary>
    /// What a watch with selectors sees of an event: an object moving into its selection is ADDED, one moving
    /// out is DELETED, as the real server does.
    /// </summary>
    private static WatchItem? Translate(Watcher watcher, StoredEvent e)
    {
        if (e.Resource != watcher.Info.Key || (watcher.Namespace is not null && watcher.Namespace != e.Namespace))
            return null;
        bool now = Selected(watcher, e.Object);
        if (e.Type != WatchEventType.Modified || e.Previous is null)
            return now ? new WatchItem(e.Type, e.Object) : null;
        bool before = Selected(watcher, e.Previous);
        return (before, now) switch
        {
            (true, true) => new WatchItem(WatchEventType.Modified, e.Object),
            (false, true) => new WatchItem(WatchEventType.Added, e.Object),
            (true, false) => new WatchItem(WatchEventType.Deleted, e.Object),
            _ => null,
        };
    }

    private static bool Selected(Watcher watcher, JsonObject node)
        => watcher.Labels.Matches(Labels(node)) && (watcher.Fields?.Matches(node) ?? true);

    private static LabelSelectorExpression ParseLabels(string? selector)
    {
        try
        {
            return LabelSelectorExpression.Parse(selector);
        }
        catch (FormatException e)
        {
            throw FakeErrors.BadRequest(e.Message);
        }
    }
}
