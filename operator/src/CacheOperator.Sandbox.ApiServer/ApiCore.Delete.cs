using System.Globalization;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

internal sealed partial class ApiCore
{
    public const string ForegroundFinalizer = "foregroundDeletion";

    public WriteResult Delete(ResourceType type, string? ns, string name, DeleteOptions options)
    {
        lock (Store.Gate)
        {
            return DeleteLocked(type, Scope(type, ns), name, options);
        }
    }

    /// <summary>Deletes every object of a kind in a namespace that the selectors match (deletecollection).</summary>
    public JsonObject DeleteCollection(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, DeleteOptions options)
    {
        lock (Store.Gate)
        {
            var items = new JsonArray();
            var names = Store.Scan(type.StoreKey, Scope(type, ns))
                .Where(p => labels.Matches(Json.Labels(p.Value)) && fields.Matches(p.Value))
                .Select(p => (Json.Str(p.Value, "metadata", "namespace"), Json.Str(p.Value, "metadata", "name")!))
                .ToList();
            foreach (var (objectNamespace, name) in names)
            {
                items.Add(DeleteLocked(type, objectNamespace, name, options).Object);
            }

            return new JsonObject
            {
                ["kind"] = type.ListKind,
                ["apiVersion"] = type.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = Store.ResourceVersionString },
                ["items"] = items,
            };
        }
    }

    /// <summary>
    /// Graceful pod deletion, finalizers and the three propagation policies. Orphaning happens here at once;
    /// background and foreground dependents are left to the <see cref="GarbageCollector"/>.
    /// </summary>
    internal WriteResult DeleteLocked(ResourceType type, string? ns, string name, DeleteOptions options)
    {
        var current = Store.Peek(type.StoreKey, ns, name) ?? throw ApiException.NotFound(type, name);
        var metadata = current["metadata"]!.AsObject();
        if ((options.PreconditionResourceVersion is { } rv && rv != Json.Str(metadata, "resourceVersion"))
            || (options.PreconditionUid is { } uid && uid != Json.Str(metadata, "uid")))
        {
            throw ApiException.Conflict(type, name);
        }

        var uidValue = Json.Str(metadata, "uid")!;
        var beingDeleted = metadata["deletionTimestamp"] is not null;
        if (type.StoreKey == "/pods" && IsBoundToNode(current))
        {
            var grace = options.GracePeriodSeconds ?? Json.Long(current["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            if (grace > 0)
            {
                if (beingDeleted)
                {
                    return new WriteResult(Shown(type, current), 200, []);
                }

                var terminating = Json.Clone(current);
                var terminatingMetadata = Json.Metadata(terminating);
                terminatingMetadata["deletionTimestamp"] = DateTime.UtcNow.AddSeconds(grace).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                terminatingMetadata["deletionGracePeriodSeconds"] = grace;
                terminatingMetadata["generation"] = (Json.Long(metadata["generation"]) ?? 0) + 1;
                Store.Put(type.StoreKey, terminating, current);
                return new WriteResult(Shown(type, terminating), 200, []);
            }
        }

        var policy = options.PropagationPolicy ?? "Background";
        if (policy == "Orphan")
        {
            Orphan(uidValue);
        }

        var finalizers = (metadata["finalizers"] as JsonArray ?? []).Select(f => f?.GetValue<string>()).ToList();
        if (policy == "Foreground" && !finalizers.Contains(ForegroundFinalizer))
        {
            finalizers.Add(ForegroundFinalizer);
        }

        if (finalizers.Count > 0)
        {
            var marked = Json.Clone(current);
            var markedMetadata = Json.Metadata(marked);
            markedMetadata["finalizers"] = new JsonArray([.. finalizers.Select(f => JsonValue.Create(f))]);
            if (!beingDeleted)
            {
                markedMetadata["deletionTimestamp"] = Json.Now();
                markedMetadata["deletionGracePeriodSeconds"] = 0;
                markedMetadata["generation"] = (Json.Long(metadata["generation"]) ?? 0) + 1;
            }

            if (!SameIgnoringVersion(current, marked))
            {
                Store.Put(type.StoreKey, marked, current);
                ObjectRemoved?.Invoke();
                return new WriteResult(Shown(type, marked), 200, []);
            }

            return new WriteResult(Shown(type, current), 200, []);
        }

        var last = Store.Remove(type.StoreKey, current);
        AfterRemove(type, last);
        return new WriteResult(Shown(type, last), 200, []);
    }

    private bool IsBoundToNode(JsonObject pod) =>
        Json.Str(pod, "spec", "nodeName") is { Length: > 0 } node && Store.Peek("/nodes", null, node) is not null;

    /// <summary>Removes owner references to <paramref name="ownerUid"/> from every dependent.</summary>
    private void Orphan(string ownerUid)
    {
        foreach (var (storeKey, obj) in Store.ScanAll().ToList())
        {
            if (obj["metadata"]?["ownerReferences"] is not JsonArray refs || !refs.Any(r => Json.Str(r, "uid") == ownerUid))
            {
                continue;
            }

            var next = Json.Clone(obj);
            var kept = new JsonArray([.. refs.Where(r => Json.Str(r, "uid") != ownerUid).Select(r => r?.DeepClone())]);
            if (kept.Count == 0)
            {
                Json.Metadata(next).Remove("ownerReferences");
            }
            else
            {
                Json.Metadata(next)["ownerReferences"] = kept;
            }

            Store.Put(storeKey, next, obj);
        }
    }
}
