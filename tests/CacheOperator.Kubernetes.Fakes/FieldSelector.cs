using System.Text.Json;
using System.Text.Json.Nodes;

namespace CacheOperator.Kubernetes.Fakes;

/// <summary>
/// A field selector (<c>metadata.name=x,status.phase!=Running</c>) evaluated on an object's JSON by dotted path.
/// A real API server supports only a few fields per kind; the fake accepts any path.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, bool Equal, string Value)> _terms = [];

    public static FieldSelector? Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
            return null;
        var result = new FieldSelector();
        foreach (string raw in selector.Split(',', StringSplitOptions.TrimEntries))
        {
            int bang = raw.IndexOf("!=", StringComparison.Ordinal);
            int eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (bang > 0)
                result._terms.Add((raw[..bang].Trim().Split('.'), false, raw[(bang + 2)..].Trim()));
            else if (eq > 0)
            {
                int valueStart = eq + 1 < raw.Length && raw[eq + 1] == '=' ? eq + 2 : eq + 1;
                result._terms.Add((raw[..eq].Trim().Split('.'), true, raw[valueStart..].Trim()));
            }
            else
                throw FakeErrors.BadRequest($"invalid field selector '{selector}'");
        }
        return result;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, equal, value) in _terms)
        {
            JsonNode? node = obj;
            foreach (string segment in path)
                node = (node as JsonObject)?[segment];
            string actual = node switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => node.ToJsonString(),
            };
            if ((actual == value) != equal)
                return false;
        }
        return true;
    }
}
