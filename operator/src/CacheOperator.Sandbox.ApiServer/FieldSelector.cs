using System.Text.Json;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// A field selector (`metadata.name=x,status.phase!=Running`). Any dotted path is accepted (a real server
/// allows a per-kind list); a missing field compares as the empty string, as it does there.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string Path, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            var notEquals = term.IndexOf("!=", StringComparison.Ordinal);
            if (notEquals > 0)
            {
                terms.Add((term[..notEquals], false, term[(notEquals + 2)..]));
                continue;
            }

            var equals = term.IndexOf('=');
            if (equals <= 0)
            {
                throw ApiException.BadRequest($"invalid field selector: {term}");
            }

            var value = term[(equals + 1)..];
            terms.Add((term[..equals], true, value.StartsWith('=') ? value[1..] : value));
        }

        return new FieldSelector(terms);
    }

    /// <summary>The value a `metadata.name=` term asks for, so a list can look one object up.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Path == "metadata.name" && t.Equal).Value;

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, equal, value) in _terms)
        {
            var node = Json.At(obj, path);
            var actual = node switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => node.ToJsonString(),
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
