using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// managedFields fieldsV1 sets in their real shape (`f:` per field, `k:{"name":"x"}` for keyed list items with
/// `.` for the item itself), and the one piece of server-side apply ownership the sandbox implements: a field
/// a manager applied before and leaves out now is removed, unless another manager's set holds it.
/// </summary>
internal static class ManagedFields
{
    public static JsonObject Of(JsonObject applied, bool custom) => Fields(applied, topLevel: true, custom);

    public static void RemoveDisowned(JsonObject obj, JsonObject previous, JsonObject current, IReadOnlyList<JsonObject> others)
    {
        var now = Leaves(current).Select(Key).ToHashSet(StringComparer.Ordinal);
        // An item's "." sorts before its fields: the item goes whole while its key can still find it.
        var removed = Leaves(previous).Where(p => !now.Contains(Key(p))).OrderBy(p => p[^1] == "." ? p.Count - 1 : p.Count).ToList();
        foreach (var path in removed)
        {
            if (!others.Any(o => Holds(o, path)))
            {
                Remove(obj, path);
            }
        }
    }

    private static JsonObject Fields(JsonObject applied, bool topLevel, bool custom)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in applied)
        {
            if (topLevel && key is "apiVersion" or "kind")
            {
                continue;
            }

            if (topLevel && key == "metadata" && value is JsonObject metadata)
            {
                var owned = new JsonObject();
                foreach (var (mk, mv) in metadata)
                {
                    if (mk is "labels" or "annotations")
                    {
                        owned[mk] = mv?.DeepClone();
                    }
                    else if (mk is "finalizers" or "ownerReferences")
                    {
                        owned[mk] = mv is null ? null : new JsonObject();
                    }
                }

                if (owned.Count > 0)
                {
                    fields["f:metadata"] = Fields(owned, topLevel: false, custom);
                }

                continue;
            }

            fields["f:" + key] = value switch
            {
                JsonObject child when child.Count > 0 => Fields(child, topLevel: false, custom),
                JsonArray list when !custom && KeyedItems(key, list) is { } items => items,
                _ => new JsonObject(),
            };
        }

        return fields;
    }

    /// <summary>`k:{"name":"x"}` entries for a keyed list of a built-in kind, or null when the list is atomic.</summary>
    private static JsonObject? KeyedItems(string field, JsonArray list)
    {
        var key = StrategicMergePatch.MergeKeyFor(field, null, list);
        if (key is null || list.Count == 0 || !list.All(i => i is JsonObject o && o[key] is JsonValue))
        {
            return null;
        }

        var items = new JsonObject();
        foreach (var item in list.OfType<JsonObject>())
        {
            var id = "k:" + new JsonObject { [key] = item[key]!.DeepClone() }.ToJsonString();
            var itemFields = Fields(item, topLevel: false, custom: false);
            itemFields["."] = new JsonObject();
            items[id] = itemFields;
        }

        return items;
    }

    private static IEnumerable<List<string>> Leaves(JsonObject tree, List<string>? prefix = null)
    {
        prefix ??= [];
        foreach (var (key, value) in tree)
        {
            var path = new List<string>(prefix) { key };
            if (value is JsonObject child && child.Count > 0)
            {
                foreach (var leaf in Leaves(child, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private static string Key(List<string> path) => string.Join("\u0000", path);

    /// <summary>Whether a set holds the path itself or anything under it.</summary>
    private static bool Holds(JsonObject tree, List<string> path)
    {
        JsonNode? node = tree;
        foreach (var segment in path)
        {
            node = node is JsonObject o ? o[segment] : null;
            if (node is null)
            {
                return false;
            }
        }

        return true;
    }

    private static void Remove(JsonObject obj, List<string> path)
    {
        var target = path[^1] == "." ? path[..^1] : path;
        JsonNode? parent = obj;
        for (var i = 0; i < target.Count - 1; i++)
        {
            parent = Step(parent, target[i]);
            if (parent is null)
            {
                return;
            }
        }

        var last = target[^1];
        if (last.StartsWith("f:", StringComparison.Ordinal) && parent is JsonObject o)
        {
            o.Remove(last[2..]);
        }
        else if (last.StartsWith("k:", StringComparison.Ordinal) && parent is JsonArray a && Find(a, last) is { } item)
        {
            a.Remove(item);
        }
    }

    private static JsonNode? Step(JsonNode? node, string segment) =>
        segment.StartsWith("f:", StringComparison.Ordinal) && node is JsonObject o ? o[segment[2..]]
        : segment.StartsWith("k:", StringComparison.Ordinal) && node is JsonArray a ? Find(a, segment)
        : null;

    private static JsonObject? Find(JsonArray list, string keySegment)
    {
        if (JsonNode.Parse(keySegment[2..]) is not JsonObject key)
        {
            return null;
        }

        return list.OfType<JsonObject>().FirstOrDefault(i => key.All(k => JsonNode.DeepEquals(i[k.Key], k.Value)));
    }
}
