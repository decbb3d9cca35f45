using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

internal sealed partial class ApiCore
{
    public const string MergePatchType = "application/merge-patch+json";
    public const string JsonPatchType = "application/json-patch+json";
    public const string StrategicPatchType = "application/strategic-merge-patch+json";
    public const string ApplyPatchType = "application/apply-patch+yaml";

    /// <summary>PATCH of the object, its status or its scale, in any of the four patch types.</summary>
    public WriteResult Patch(ResourceType type, string? ns, string name, string? subresource, string contentType, string body, WriteOptions options)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (MergePatchType or JsonPatchType or StrategicPatchType or ApplyPatchType))
        {
            throw ApiException.UnsupportedMediaType(contentType);
        }

        if (mediaType == StrategicPatchType && type.IsCustom)
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {JsonPatchType}, {MergePatchType}, {ApplyPatchType}");
        }

        if (options.Force && mediaType != ApplyPatchType)
        {
            throw ApiException.BadRequest("force may not be set for non-apply patch requests");
        }

        lock (Store.Gate)
        {
            ns = Scope(type, ns);
            var current = Store.Peek(type.StoreKey, ns, name);
            if (mediaType == ApplyPatchType)
            {
                return ApplyLocked(type, ns, name, subresource, current, YamlJson.ParseObject(body), options);
            }

            if (current is null)
            {
                throw ApiException.NotFound(type, name);
            }

            if (subresource == "scale")
            {
                var scale = ScaleOf(type, current);
                var patchedScale = PatchDocument(mediaType, scale, body);
                return SetReplicas(type, current, patchedScale, options);
            }

            var patched = PatchDocument(mediaType, Shown(type, current), body);
            var version = Json.Str(patched, "metadata", "resourceVersion");
            if (!string.IsNullOrEmpty(version) && version != Json.Str(current, "metadata", "resourceVersion"))
            {
                throw ApiException.Conflict(type, name);
            }

            return UpdateLocked(type, current, patched, subresource, options);
        }
    }

    private static JsonObject PatchDocument(string mediaType, JsonObject target, string body)
    {
        if (mediaType == JsonPatchType)
        {
            JsonNode? operations;
            try
            {
                operations = JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw ApiException.BadRequest($"unable to parse the JSON patch: {e.Message}");
            }

            return JsonPatch.Apply(target, operations as JsonArray ?? throw ApiException.BadRequest("a JSON patch must be an array"));
        }

        var patch = Json.ParseObject(body);
        return mediaType == StrategicPatchType
            ? StrategicMergePatch.Apply(target, patch)
            : MergePatch.Apply(target, patch) as JsonObject ?? [];
    }

    /// <summary>
    /// Server-side apply, simplified: the applied fields are merged into the object (built-ins merge lists by
    /// key, custom resources replace lists); fields a manager stops applying are not removed, and no conflicts
    /// between managers are detected. Each manager gets a managedFields entry with operation Apply.
    /// </summary>
    private WriteResult ApplyLocked(ResourceType type, string? ns, string name, string? subresource, JsonObject? current, JsonObject applied, WriteOptions options)
    {
        if (string.IsNullOrEmpty(options.FieldManager))
        {
            throw ApiException.BadRequest("PATCH /apply requires fieldManager");
        }

        var appliedName = Json.Str(applied, "metadata", "name");
        if (appliedName is not null && appliedName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({appliedName}) does not match the name on the URL ({name})");
        }

        var entry = new JsonObject
        {
            ["manager"] = options.FieldManager,
            ["operation"] = "Apply",
            ["apiVersion"] = type.ApiVersion,
            ["time"] = Json.Now(),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = ManagedFields.Of(applied, type.IsCustom),
        };
        if (subresource == "status")
        {
            entry["subresource"] = "status";
        }

        if (current is null)
        {
            if (subresource is not null)
            {
                throw ApiException.NotFound(type, name);
            }

            var body = Json.Clone(applied);
            Json.Metadata(body)["name"] = name;
            return CreateLocked(type, ns, body, options, entry);
        }

        var version = Json.Str(applied, "metadata", "resourceVersion");
        if (!string.IsNullOrEmpty(version) && version != Json.Str(current, "metadata", "resourceVersion"))
        {
            throw ApiException.Conflict(type, name);
        }

        var merged = type.IsCustom
            ? MergePatch.Apply(Shown(type, current), applied) as JsonObject ?? []
            : StrategicMergePatch.Apply(Shown(type, current), applied);
        var managedFields = new JsonArray();
        JsonObject? previousFields = null;
        var otherFields = new List<JsonObject>();
        foreach (var existing in current["metadata"]?["managedFields"] as JsonArray ?? [])
        {
            if (existing is not JsonObject e)
            {
                continue;
            }

            if (Json.Str(e, "manager") == options.FieldManager && Json.Str(e, "operation") == "Apply"
                && Json.Str(e, "subresource") == Json.Str(entry, "subresource"))
            {
                // Same place, and the old time when the set is unchanged, so a repeated apply is a no-op.
                previousFields = e["fieldsV1"] as JsonObject;
                if (JsonNode.DeepEquals(previousFields, entry["fieldsV1"]))
                {
                    entry["time"] = e["time"]?.DeepClone();
                }

                managedFields.Add(entry);
                continue;
            }

            managedFields.Add(e.DeepClone());
            if (e["fieldsV1"] is JsonObject fields)
            {
                otherFields.Add(fields);
            }
        }

        if (previousFields is not null)
        {
            // Fields this manager applied before and no longer applies go, unless another manager owns them.
            ManagedFields.RemoveDisowned(merged, previousFields, (JsonObject)entry["fieldsV1"]!, otherFields);
        }

        if (previousFields is null)
        {
            managedFields.Add(entry);
        }

        Json.Metadata(merged)["managedFields"] = managedFields;
        Json.Metadata(merged)["resourceVersion"] = Json.Str(current, "metadata", "resourceVersion");
        var result = UpdateLocked(type, current, merged, subresource, options);
        if (!options.DryRun && result.StatusCode == 200 && Store.Peek(type.StoreKey, ns, name) is { } stored
            && !JsonNode.DeepEquals(stored["metadata"]?["managedFields"], managedFields))
        {
            // The update found nothing else to change: still record that this manager applied.
            var withFields = Json.Clone(stored);
            Json.Metadata(withFields)["managedFields"] = managedFields.DeepClone();
            Store.Put(type.StoreKey, withFields, stored);
            return new WriteResult(Shown(type, withFields), 200, result.Warnings);
        }

        return result;
    }
}
