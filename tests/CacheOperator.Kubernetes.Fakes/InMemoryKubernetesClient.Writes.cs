using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes.Fakes;

public sealed partial class InMemoryKubernetesClient
{
    public Task<T> CreateAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ct.ThrowIfCancellationRequested();
        ResourceInfo info = ResourceInfo.For<T>();
        JsonObject node = ToNode(obj, info);
        FakeRequest request = Begin(FakeVerb.Create, info, obj.Metadata.Namespace, obj.Metadata.Name);
        return Task.FromResult(Run(request, () =>
        {
            lock (_lock)
                return FromNode<T>(Insert(info, node, request));
        }));
    }

    /// <summary>Stores a new object, setting what the server sets. Caller holds the lock.</summary>
    private JsonObject Insert(ResourceInfo info, JsonObject node, FakeRequest request)
    {
        JsonObject meta = Meta(node);
        string? name = MetaString(node, "name");
        if (string.IsNullOrEmpty(name) && MetaString(node, "generateName") is string prefix)
            name = prefix + RandomSuffix();
        if (string.IsNullOrEmpty(name))
            throw FakeErrors.Invalid(info, name, "metadata.name: Required value: name or generateName is required");
        string? ns = Namespace(info, MetaString(node, "namespace"));
        if (!string.IsNullOrEmpty(MetaString(node, "resourceVersion")))
            throw FakeErrors.BadRequest("resourceVersion should not be set on objects to be created");
        if (Table(info).ContainsKey(Key(ns, name)))
            throw FakeErrors.Exception(409, "AlreadyExists", $"{info.QualifiedName} \"{name}\" already exists");

        meta["name"] = name;
        SetOrRemove(meta, "namespace", ns is null ? null : JsonValue.Create(ns));
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta["generation"] = 1L;
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        if (info.HasStatus)
            node.Remove("status");
        meta["resourceVersion"] = Rv(++_resourceVersion);
        Table(info)[Key(ns, name)] = node;
        request.Changed = true;
        Publish(info, ns, WatchEventType.Added, node, null);
        return node;
    }

    private static string RandomSuffix()
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, static (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        });
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject
        => Replace(obj, statusOnly: false, ct);

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject
        => Replace(obj, statusOnly: true, ct);

    private Task<T> Replace<T>(T obj, bool statusOnly, CancellationToken ct) where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ct.ThrowIfCancellationRequested();
        ResourceInfo info = ResourceInfo.For<T>();
        JsonObject node = ToNode(obj, info);
        string? name = obj.Metadata.Name;
        FakeRequest request = Begin(statusOnly ? FakeVerb.ReplaceStatus : FakeVerb.Replace, info, obj.Metadata.Namespace,
            name, statusOnly ? "status" : null);
        return Task.FromResult(Run(request, () =>
        {
            if (statusOnly && !info.HasStatus)
                throw FakeErrors.NotFound(info, name + "/status");
            lock (_lock)
            {
                JsonObject stored = Stored(info, obj.Metadata.Namespace, name);
                string? rv = obj.Metadata.ResourceVersion;
                if (string.IsNullOrEmpty(rv) && info.IsCustom)
                    throw FakeErrors.Invalid(info, name, "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
                if (!string.IsNullOrEmpty(rv) && rv != MetaString(stored, "resourceVersion"))
                    throw FakeErrors.Conflict(info, name);
                KeepServerFields(stored, node, info, statusOnly);
                return FromNode<T>(CommitUpdate(info, stored, node, statusOnly, request));
            }
        }));
    }

    /// <summary>The stored object, or 404. Caller holds the lock.</summary>
    private JsonObject Stored(ResourceInfo info, string? ns, string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw FakeErrors.BadRequest("a name is required");
        return Table(info).TryGetValue(Key(Namespace(info, ns), name), out JsonObject? stored)
            ? stored : throw FakeErrors.NotFound(info, name);
    }

    public Task<T?> DeleteAsync<T>(string? ns, string name, DeleteOptions? options = null, CancellationToken ct = default)
        where T : KubernetesObject
    {
        ct.ThrowIfCancellationRequested();
        ResourceInfo info = ResourceInfo.For<T>();
        FakeRequest request = Begin(FakeVerb.Delete, info, ns, name);
        return Task.FromResult(Run(request, () =>
        {
            lock (_lock)
            {
                string? resolvedNs = Namespace(info, ns);
                if (!Table(info).TryGetValue(Key(resolvedNs, name), out JsonObject? stored))
                    return null;
                if (options?.PreconditionUid is string uid && uid != MetaString(stored, "uid"))
                    throw FakeErrors.Exception(409, "Conflict",
                        $"Precondition failed: UID in precondition: {uid}, UID in object meta: {MetaString(stored, "uid")}");
                if (options?.PreconditionResourceVersion is string rv && rv != MetaString(stored, "resourceVersion"))
                    throw FakeErrors.Exception(409, "Conflict",
                        $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {MetaString(stored, "resourceVersion")}");
                JsonObject? remaining = DeleteStored(info, resolvedNs, name, stored,
                    orphanDependents: options?.PropagationPolicy == "Orphan", request);
                return remaining is null ? null : FromNode<T>(remaining);
            }
        }));
    }

    public Task<T> PatchAsync<T>(string? ns, string name, PatchType type, string patch, string? subresource = null,
        CancellationToken ct = default) where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(patch);
        ct.ThrowIfCancellationRequested();
        ResourceInfo info = ResourceInfo.For<T>();
        FakeRequest request = Begin(FakeVerb.Patch, info, ns, name, subresource);
        return Task.FromResult(Run(request, () =>
        {
            bool statusOnly = CheckSubresource(info, name, subresource);
            if (type == PatchType.StrategicMerge && info.IsCustom)
                throw FakeErrors.Exception(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: "
                    + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(patch);
            }
            catch (JsonException e)
            {
                throw FakeErrors.BadRequest($"the patch is not JSON: {e.Message}");
            }
            lock (_lock)
            {
                JsonObject stored = Stored(info, ns, name);
                JsonObject patched;
                try
                {
                    patched = type == PatchType.Json
                        ? JsonPatch.Apply(stored.DeepClone(), parsed as JsonArray
                            ?? throw new InvalidOperationException("a JSON patch is an array")).AsObject()
                        : (JsonMergePatch.Apply(stored.DeepClone(), parsed) as JsonObject
                            ?? throw new InvalidOperationException("a merge patch must be an object"));
                }
                catch (InvalidOperationException e)
                {
                    throw FakeErrors.Invalid(info, name, e.Message);
                }
                if (patched["metadata"] is not JsonObject)
                    patched["metadata"] = new JsonObject();
                return FromNode<T>(Update(info, stored, patched, statusOnly, request));
            }
        }));
    }

    public Task<T> ApplyAsync<T>(T obj, ApplyOptions options, string? subresource = null, CancellationToken ct = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        ct.ThrowIfCancellationRequested();
        ResourceInfo info = ResourceInfo.For<T>();
        JsonObject applied = ToNode(obj, info);
        string? name = obj.Metadata.Name;
        FakeRequest request = Begin(FakeVerb.Apply, info, obj.Metadata.Namespace, name, subresource);
        return Task.FromResult(Run(request, () =>
        {
            if (string.IsNullOrEmpty(options.FieldManager))
                throw FakeErrors.BadRequest("fieldManager is required for apply requests");
            bool statusOnly = CheckSubresource(info, name, subresource);
            string manager = statusOnly ? options.FieldManager + "/status" : options.FieldManager;
            lock (_lock)
            {
                if (string.IsNullOrEmpty(name))
                    throw FakeErrors.BadRequest("a name is required");
                if (!Table(info).TryGetValue(Key(Namespace(info, obj.Metadata.Namespace), name), out JsonObject? stored))
                {
                    if (statusOnly)
                        throw FakeErrors.NotFound(info, name);
                    Meta(applied).Remove("resourceVersion");
                    JsonObject inserted = Insert(info, applied.DeepClone().AsObject(), request);
                    RecordApplied(info, inserted, manager, applied);
                    return FromNode<T>(inserted);
                }
                var merged = stored.DeepClone().AsObject();
                Dictionary<string, JsonObject> appliedBy = _applied.GetValueOrDefault(AppliedKey(info, stored)) ?? [];
                if (appliedBy.TryGetValue(manager, out JsonObject? previous))
                    RemoveDropped(merged, previous, applied, appliedBy.Where(p => p.Key != manager).Select(p => (JsonObject?)p.Value).ToList());
                merged = (JsonObject)JsonMergePatch.Apply(merged, applied)!;
                JsonObject result = Update(info, stored, merged, statusOnly, request);
                RecordApplied(info, result, manager, applied);
                return FromNode<T>(result);
            }
        }));
    }

    private static string AppliedKey(ResourceInfo info, JsonObject node)
        => $"{info.Key}|{Key(MetaString(node, "namespace"), MetaString(node, "name")!)}";

    private void RecordApplied(ResourceInfo info, JsonObject stored, string manager, JsonObject applied)
    {
        string key = AppliedKey(info, stored);
        if (!_applied.TryGetValue(key, out var byManager))
            _applied[key] = byManager = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        byManager[manager] = applied;
    }

    /// <summary>
    /// Removes from <paramref name="target"/> what <paramref name="previous"/> applied and <paramref name="now"/> no
    /// longer does, keeping what another manager's last apply (<paramref name="others"/>) still sets.
    /// </summary>
    private static void RemoveDropped(JsonObject target, JsonObject previous, JsonObject now, List<JsonObject?> others)
    {
        foreach (var (field, before) in previous)
        {
            bool stillApplied = now.TryGetPropertyValue(field, out JsonNode? after);
            if (!stillApplied && !others.Any(o => o?.ContainsKey(field) == true))
            {
                target.Remove(field);
                continue;
            }
            // Still applied, or partly someone else's: look inside objects for what nobody applies any more.
            if (before is JsonObject beforeObject && target[field] is JsonObject targetObject
                && (after is JsonObject || !stillApplied))
                RemoveDropped(targetObject, beforeObject, after as JsonObject ?? [],
                    others.Select(o => o?[field] as JsonObject).ToList());
        }
    }

    /// <summary>Patch and apply: a resourceVersion in the change is a precondition; then as a replace.</summary>
    private JsonObject Update(ResourceInfo info, JsonObject stored, JsonObject updated, bool statusOnly, FakeRequest request)
    {
        if (MetaString(updated, "resourceVersion") is string rv && rv != MetaString(stored, "resourceVersion"))
            throw FakeErrors.Conflict(info, MetaString(stored, "name"));
        KeepServerFields(stored, updated, info, statusOnly);
        return CommitUpdate(info, stored, updated, statusOnly, request);
    }

    /// <returns>True for the status subresource.</returns>
    private static bool CheckSubresource(ResourceInfo info, string? name, string? subresource) => subresource switch
    {
        null or "" => false,
        "status" when info.HasStatus => true,
        _ => throw FakeErrors.NotFound(info, $"{name}/{subresource}"),
    };
}
