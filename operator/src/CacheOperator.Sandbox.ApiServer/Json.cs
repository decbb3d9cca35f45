using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>Small helpers over System.Text.Json.Nodes documents.</summary>
internal static class Json
{
    public static string? Str(JsonNode? node, params string[] path)
    {
        foreach (var segment in path)
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
    }

    /// <summary>Follows a dotted path such as `.spec.replicas` or `metadata.name`.</summary>
    public static JsonNode? At(JsonNode? node, string dottedPath)
    {
        foreach (var segment in dottedPath.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node;
    }

    /// <summary>Sets a dotted path, creating objects on the way.</summary>
    public static void SetAt(JsonObject root, string dottedPath, JsonNode? value)
    {
        var segments = dottedPath.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (current[segments[i]] is not JsonObject next)
            {
                next = [];
                current[segments[i]] = next;
            }

            current = next;
        }

        current[segments[^1]] = value;
    }

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        return metadata;
    }

    public static JsonObject Clone(JsonObject obj) => obj.DeepClone().AsObject();

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string MicroNow() =>
        DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static bool IsFalse(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.False;

    /// <summary>A number however it was built (parsed, or created from an int, long or double).</summary>
    public static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : null;

    public static long? Long(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
            ? l
            : Number(node) is { } d ? (long)d : null;

    public static JsonObject ParseObject(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"unable to parse the request body as JSON: {e.Message}");
        }

        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    /// <summary>Labels of an object as a dictionary (empty when none).</summary>
    public static Dictionary<string, string> Labels(JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                result[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    ? v.GetValue<string>()
                    : value?.ToJsonString() ?? "";
            }
        }

        return result;
    }
}
