using System.Text.Json.Nodes;

namespace CacheOperator.Kubernetes.Fakes;

/// <summary>RFC 7386 merge patch over JsonNode trees.</summary>
internal static class JsonMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> in place when both are objects.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        JsonObject result = target as JsonObject ?? [];
        MergeInto(result, patchObject);
        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
                target.Remove(key);
            else if (value is JsonObject valueObject)
            {
                if (target[key] is JsonObject existing)
                    MergeInto(existing, valueObject);
                else
                {
                    // A patch object over a non-object starts from {} so nulls inside it still delete nothing.
                    var fresh = new JsonObject();
                    MergeInto(fresh, valueObject);
                    target[key] = fresh;
                }
            }
            else
                target[key] = value.DeepClone();
        }
    }
}
