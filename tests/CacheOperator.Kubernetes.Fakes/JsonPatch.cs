using System.Globalization;
using System.Text.Json.Nodes;

namespace CacheOperator.Kubernetes.Fakes;

/// <summary>RFC 6902 JSON patch (add, remove, replace, test, move, copy) over JsonNode trees.</summary>
internal static class JsonPatch
{
    /// <exception cref="InvalidOperationException">An operation does not apply (bad path, failed test).</exception>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        foreach (JsonNode? operation in operations)
        {
            if (operation is not JsonObject op)
                throw new InvalidOperationException("a JSON patch operation must be an object");
            string name = Text(op, "op");
            string path = Text(op, "path");
            switch (name)
            {
                case "add":
                    document = Add(document, path, Value(op));
                    break;
                case "remove":
                    document = Remove(document, path, out _);
                    break;
                case "replace":
                    document = Remove(document, path, out _);
                    document = Add(document, path, Value(op));
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(document, path), Value(op)))
                        throw new InvalidOperationException($"test failed at '{path}'");
                    break;
                case "move":
                    document = Remove(document, Text(op, "from"), out JsonNode? moved);
                    document = Add(document, path, moved);
                    break;
                case "copy":
                    document = Add(document, path, Find(document, Text(op, "from"))?.DeepClone());
                    break;
                default:
                    throw new InvalidOperationException($"unknown JSON patch op '{name}'");
            }
        }
        return document;
    }

    private static string Text(JsonObject op, string field)
        => op[field]?.GetValue<string>() ?? throw new InvalidOperationException($"operation lacks '{field}'");

    private static JsonNode? Value(JsonObject op)
        => op.TryGetPropertyValue("value", out JsonNode? value) ? value?.DeepClone()
            : throw new InvalidOperationException("operation lacks 'value'");

    private static string[] Tokens(string path)
    {
        if (path.Length == 0)
            return [];
        if (path[0] != '/')
            throw new InvalidOperationException($"'{path}' is not a JSON pointer");
        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal)
            .Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    private static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (string token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out JsonNode? child) => child,
                JsonArray a => a[Index(a, token, allowEnd: false)],
                _ => throw new InvalidOperationException($"path '{path}' does not exist"),
            };
        }
        return node;
    }

    private static JsonNode? Parent(JsonNode document, string[] tokens, string path)
        => Find(document, tokens.Length <= 1 ? "" : "/" + string.Join('/', tokens[..^1].Select(Escape)))
            ?? throw new InvalidOperationException($"the parent of '{path}' does not exist");

    private static string Escape(string token)
        => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        string[] tokens = Tokens(path);
        if (tokens.Length == 0)
            return value ?? throw new InvalidOperationException("cannot replace the document with null");
        switch (Parent(document, tokens, path))
        {
            case JsonObject o:
                o[tokens[^1]] = value;
                break;
            case JsonArray a:
                if (tokens[^1] == "-")
                    a.Add(value);
                else
                    a.Insert(Index(a, tokens[^1], allowEnd: true), value);
                break;
            default:
                throw new InvalidOperationException($"the parent of '{path}' is not a container");
        }
        return document;
    }

    private static JsonNode Remove(JsonNode document, string path, out JsonNode? removed)
    {
        string[] tokens = Tokens(path);
        if (tokens.Length == 0)
            throw new InvalidOperationException("cannot remove the whole document");
        switch (Parent(document, tokens, path))
        {
            case JsonObject o when o.TryGetPropertyValue(tokens[^1], out removed):
                o.Remove(tokens[^1]);
                return document;
            case JsonArray a:
                int index = Index(a, tokens[^1], allowEnd: false);
                removed = a[index];
                a.RemoveAt(index);
                return document;
            default:
                throw new InvalidOperationException($"path '{path}' does not exist");
        }
    }

    private static int Index(JsonArray array, string token, bool allowEnd)
    {
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || index > array.Count || (!allowEnd && index == array.Count))
            throw new InvalidOperationException($"'{token}' is not an index into an array of {array.Count}");
        return index;
    }
}
