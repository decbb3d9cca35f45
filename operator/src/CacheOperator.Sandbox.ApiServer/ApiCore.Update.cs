using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

internal sealed partial class ApiCore
{
    private static readonly string[] ServerOwnedMetadata =
        ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"];

    /// <summary>PUT of the object (subresource null) or of its status.</summary>
    public WriteResult Update(ResourceType type, string? ns, string name, JsonObject body, string? subresource, WriteOptions options)
    {
        lock (Store.Gate)
        {
            ns = Scope(type, ns);
            var current = Store.Peek(type.StoreKey, ns, name) ?? throw ApiException.NotFound(type, name);
            CheckKind(type, body);
            var bodyName = Json.Str(body, "metadata", "name");
            if (bodyName is not null && bodyName != name)
            {
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            var bodyVersion = Json.Str(body, "metadata", "resourceVersion");
            if (string.IsNullOrEmpty(bodyVersion))
            {
                if (type.IsCustom)
                {
                    throw ApiException.Invalid(type, name, [new FieldError("metadata.resourceVersion", "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update")]);
                }
            }
            else if (bodyVersion != Json.Str(current, "metadata", "resourceVersion"))
            {
                throw ApiException.Conflict(type, name);
            }

            return UpdateLocked(type, current, body, subresource, options);
        }
    }

    /// <summary>The update after preconditions: merges server-owned fields back, bumps generation, commits.</summary>
    private WriteResult UpdateLocked(ResourceType type, JsonObject current, JsonObject body, string? subresource, WriteOptions options)
    {
        var name = Json.Str(current, "metadata", "name")!;
        JsonObject next;
        if (subresource == "status")
        {
            next = Json.Clone(current);
            if (body["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }
        else
        {
            next = Json.Clone(body);
            next["apiVersion"] = type.ApiVersion;
            next["kind"] = type.Kind;
            if (type.HasStatus)
            {
                if (current["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }
        }

        var metadata = Json.Metadata(next);
        var currentMetadata = Json.Metadata(current);
        foreach (var key in ServerOwnedMetadata)
        {
            if (currentMetadata[key] is { } value)
            {
                metadata[key] = value.DeepClone();
            }
            else
            {
                metadata.Remove(key);
            }
        }

        if (metadata["managedFields"] is null && currentMetadata["managedFields"] is { } managed)
        {
            metadata["managedFields"] = managed.DeepClone();
        }

        var warnings = new List<string>();
        OnUpdate(type, current, next);
        if (ObjectValidation.ForUpdate(type, current, next) is { Count: > 0 } invalid)
        {
            throw ApiException.Invalid(type, name, invalid);
        }

        ApplySchema(type, next, name, options, warnings);
        if (!JsonNode.DeepEquals(SpecPart(current), SpecPart(next)))
        {
            metadata["generation"] = (Json.Long(currentMetadata["generation"]) ?? 0) + 1;
        }

        if (SameIgnoringVersion(current, next))
        {
            return new WriteResult(Shown(type, current), 200, warnings);
        }

        if (options.DryRun)
        {
            return new WriteResult(Shown(type, next), 200, warnings);
        }

        if (metadata["deletionTimestamp"] is not null && IsEmpty(metadata["finalizers"]))
        {
            var last = Store.Remove(type.StoreKey, next);
            AfterRemove(type, last);
            return new WriteResult(Shown(type, last), 200, warnings);
        }

        Store.Put(type.StoreKey, next, current);
        AfterWrite(type, next);
        return new WriteResult(Shown(type, next), 200, warnings);
    }

    /// <summary>Everything but metadata and status: what generation counts.</summary>
    private static JsonObject SpecPart(JsonObject obj)
    {
        var part = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is not ("metadata" or "status" or "apiVersion" or "kind"))
            {
                part[key] = value?.DeepClone();
            }
        }

        return part;
    }

    private static bool SameIgnoringVersion(JsonObject a, JsonObject b)
    {
        var left = Json.Clone(a);
        var right = Json.Clone(b);
        foreach (var o in new[] { left, right })
        {
            var metadata = Json.Metadata(o);
            metadata.Remove("resourceVersion");
            metadata.Remove("managedFields");
        }

        return JsonNode.DeepEquals(left, right);
    }

    private static bool IsEmpty(JsonNode? list) => list is not JsonArray array || array.Count == 0;
}
