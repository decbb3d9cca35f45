using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy, test over JSON pointers.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        JsonNode root = Json.Clone(target);
        foreach (var operationNode in operations)
        {
            if (operationNode is not JsonObject operation)
            {
                throw ApiException.BadRequest("a JSON patch operation must be an object");
            }

            var op = Json.Str(operation, "op");
            var path = Json.Str(operation, "path") ?? throw ApiException.BadRequest("a JSON patch operation needs a path");
            switch (op)
            {
                case "add":
                    root = Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Get(root, path);
                    Remove(root, path);
                    root = Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                {
                    var from = Json.Str(operation, "from") ?? throw ApiException.BadRequest("move needs from");
                    var value = Get(root, from)?.DeepClone();
                    Remove(root, from);
                    root = Add(root, path, value);
                    break;
                }

                case "copy":
                {
                    var from = Json.Str(operation, "from") ?? throw ApiException.BadRequest("copy needs from");
                    root = Add(root, path, Get(root, from)?.DeepClone());
                    break;
                }

                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: test failed at {path}");
                    }

                    break;
                default:
                    throw ApiException.BadRequest($"unknown JSON patch operation \"{op}\"");
            }
        }

        return root as JsonObject ?? throw ApiException.BadRequest("a JSON patch must leave an object");
    }

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (!pointer.StartsWith('/'))
        {
            throw ApiException.BadRequest($"invalid JSON pointer \"{pointer}\"");
        }

        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Get(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: path {pointer} does not exist"),
            };
        }

        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string pointer)
    {
        var tokens = Tokens(pointer);
        var parentPointer = string.Concat(tokens[..^1].Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        return (Get(root, parentPointer) ?? throw ApiException.BadRequest($"no parent for {pointer}"), tokens[^1]);
    }

    private static JsonNode Add(JsonNode root, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0)
        {
            return value ?? throw ApiException.BadRequest("cannot replace the whole document with null");
        }

        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: cannot add at {pointer}");
        }

        return root;
    }

    private static void Remove(JsonNode root, string pointer)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: path {pointer} does not exist");
        }
    }
}
