using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// Strategic merge patch for built-in kinds, keyed by field name rather than by Go struct tags: lists of
/// containers, volumes, env and the like merge by their key, `finalizers` merge as a set, other lists are
/// replaced. Directives: `$patch: delete|replace`, `$deleteFromPrimitiveList/…`; `$setElementOrder/…` and
/// `$retainKeys` are ignored. Server-side apply of built-ins reuses the same merge.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
    };

    private static readonly HashSet<string> SetLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonObject Apply(JsonObject target, JsonObject patch) =>
        (MergeObject(target, patch) as JsonObject) ?? [];

    private static JsonNode? MergeObject(JsonObject? target, JsonObject patch)
    {
        if (Json.Str(patch, "$patch") == "replace")
        {
            return StripDirectives(patch);
        }

        var result = target is null ? [] : Json.Clone(target);
        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray existing && value is JsonArray remove)
                {
                    result[field] = new JsonArray([.. existing.Where(e => !remove.Any(r => JsonNode.DeepEquals(e, r))).Select(e => e?.DeepClone())]);
                }

                continue;
            }

            switch (value)
            {
                case null:
                    result.Remove(key);
                    break;
                case JsonObject child when Json.Str(child, "$patch") == "delete":
                    result.Remove(key);
                    break;
                case JsonObject child:
                    result[key] = MergeObject(result[key] as JsonObject, child);
                    break;
                case JsonArray list:
                    result[key] = MergeList(key, result[key] as JsonArray, list);
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? target, JsonArray patch)
    {
        if (patch.Any(e => e is JsonObject o && o.Count == 1 && Json.Str(o, "$patch") == "replace"))
        {
            return new JsonArray([.. patch.Where(e => !(e is JsonObject o && o.ContainsKey("$patch"))).Select(e => e?.DeepClone())]);
        }

        if (SetLists.Contains(field))
        {
            var union = target is null ? [] : (JsonArray)target.DeepClone();
            foreach (var item in patch)
            {
                if (!union.Any(e => JsonNode.DeepEquals(e, item)))
                {
                    union.Add(item?.DeepClone());
                }
            }

            return union;
        }

        var key = MergeKeyFor(field, target, patch);
        if (key is null)
        {
            return new JsonArray([.. patch.Select(e => e is JsonObject o ? StripDirectives(o) : e?.DeepClone())]);
        }

        var result = target is null ? [] : (JsonArray)target.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject element)
            {
                continue;
            }

            var keyValue = element[key];
            var index = IndexOf(result, key, keyValue);
            if (Json.Str(element, "$patch") == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                result[index] = MergeObject(result[index] as JsonObject, element);
            }
            else
            {
                result.Add(StripDirectives(element));
            }
        }

        return result;
    }

    /// <summary>The merge key of a list field of a built-in kind, or null for a list that is replaced whole.</summary>
    public static string? MergeKeyFor(string field, JsonArray? target, JsonArray patch)
    {
        if (field == "ports")
        {
            var any = (target ?? []).Concat(patch).OfType<JsonObject>();
            return any.Any(e => e.ContainsKey("containerPort")) ? "containerPort" : "port";
        }

        return MergeKeys.GetValueOrDefault(field);
    }

    private static int IndexOf(JsonArray list, string key, JsonNode? value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[key], value))
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonObject StripDirectives(JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            result[key] = value switch
            {
                JsonObject o => StripDirectives(o),
                JsonArray a => new JsonArray([.. a.Select(e => e is JsonObject eo ? StripDirectives(eo) : e?.DeepClone())]),
                _ => value?.DeepClone(),
            };
        }

        return result;
    }
}
