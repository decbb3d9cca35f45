using System.Text;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>A label selector in its string form: `a=b,c!=d,e in (x,y),f notin (z),g,!h`.</summary>
internal sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var term = part.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            requirements.Add(ParseTerm(term));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    /// <summary>A LabelSelector object (matchLabels, matchExpressions) in the string form /scale reports.</summary>
    public static string ToSelectorString(JsonObject? selector)
    {
        if (selector is null)
        {
            return "";
        }

        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject matchLabels)
        {
            parts.AddRange(matchLabels.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={p.Value?.GetValue<string>()}"));
        }

        foreach (var expression in selector["matchExpressions"]?.AsArray() ?? [])
        {
            var key = Json.Str(expression, "key");
            var values = string.Join(",", (expression?["values"]?.AsArray() ?? []).Select(v => v?.GetValue<string>()));
            parts.Add(Json.Str(expression, "operator") switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key ?? "",
                "DoesNotExist" => $"!{key}",
                _ => "",
            });
        }

        return string.Join(",", parts.Where(p => p.Length > 0));
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }

            if (c == ',' && depth == 0)
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        yield return current.ToString();
    }

    private static Requirement ParseTerm(string term)
    {
        if (term.StartsWith('!'))
        {
            return new Requirement(term[1..].Trim(), Operator.DoesNotExist, []);
        }

        var notIn = term.IndexOf(" notin ", StringComparison.Ordinal);
        if (notIn > 0)
        {
            return new Requirement(term[..notIn].Trim(), Operator.NotIn, ParseSet(term[(notIn + 7)..]));
        }

        var inIndex = term.IndexOf(" in ", StringComparison.Ordinal);
        if (inIndex > 0)
        {
            return new Requirement(term[..inIndex].Trim(), Operator.In, ParseSet(term[(inIndex + 4)..]));
        }

        var notEquals = term.IndexOf("!=", StringComparison.Ordinal);
        if (notEquals > 0)
        {
            return new Requirement(term[..notEquals].Trim(), Operator.NotIn, [term[(notEquals + 2)..].Trim()]);
        }

        var equals = term.IndexOf('=');
        if (equals > 0)
        {
            var value = term[(equals + 1)..];
            if (value.StartsWith('='))
            {
                value = value[1..];
            }

            return new Requirement(term[..equals].Trim(), Operator.In, [value.Trim()]);
        }

        if (term.Contains(' ', StringComparison.Ordinal) || term.Contains('(', StringComparison.Ordinal))
        {
            throw ApiException.BadRequest($"unable to parse requirement: {term}");
        }

        return new Requirement(term, Operator.Exists, []);
    }

    private static string[] ParseSet(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('(') || !trimmed.EndsWith(')'))
        {
            throw ApiException.BadRequest($"unable to parse set: {text}");
        }

        return [.. trimmed[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0)];
    }

    private enum Operator
    {
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Op, string[] Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.In => has && Values.Contains(value),
                Operator.NotIn => !has || !Values.Contains(value),
                Operator.Exists => has,
                _ => !has,
            };
        }
    }
}
