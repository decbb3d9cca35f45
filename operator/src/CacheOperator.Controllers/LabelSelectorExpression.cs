using System.Globalization;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Controllers;

/// <summary>
/// A parsed Kubernetes label selector (the <c>labelSelector</c> query parameter): equality-based terms
/// (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>) and set-based ones (<c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>,
/// <c>!a</c>), all of which must hold. The empty selector matches everything.
/// </summary>
public sealed class LabelSelectorExpression
{
    public static LabelSelectorExpression Everything { get; } = new([]);

    private LabelSelectorExpression(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>Parses the query-parameter form; null or blank is <see cref="Everything"/>.</summary>
    /// <exception cref="FormatException">The selector is malformed.</exception>
    public static LabelSelectorExpression Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
            return Everything;
        var requirements = new List<LabelRequirement>();
        foreach (string term in SplitTopLevel(selector))
            requirements.Add(ParseTerm(term.Trim(), selector));
        return new LabelSelectorExpression(requirements);
    }

    /// <summary>The selector matching exactly these labels (a matchLabels map).</summary>
    public static LabelSelectorExpression FromLabels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new LabelSelectorExpression(labels
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new LabelRequirement(l.Key, SelectorOperator.Equals, [l.Value]))
            .ToList());
    }

    /// <summary>The selector an object's <c>spec.selector</c> (matchLabels and matchExpressions) stands for.</summary>
    /// <exception cref="FormatException">An expression has an unknown operator.</exception>
    public static LabelSelectorExpression FromModel(LabelSelector? selector)
    {
        if (selector is null)
            return Everything;
        var requirements = new List<LabelRequirement>();
        if (selector.MatchLabels is not null)
            requirements.AddRange(FromLabels(selector.MatchLabels).Requirements);
        foreach (LabelSelectorRequirement expression in selector.MatchExpressions ?? [])
        {
            SelectorOperator op = expression.Operator switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => throw new FormatException($"unknown label selector operator '{expression.Operator}'"),
            };
            requirements.Add(new LabelRequirement(expression.Key, op, [.. expression.Values ?? []]));
        }
        return new LabelSelectorExpression(requirements);
    }

    public bool Matches(IDictionary<string, string>? labels)
    {
        foreach (LabelRequirement requirement in Requirements)
        {
            if (!requirement.Matches(labels))
                return false;
        }
        return true;
    }

    public override string ToString() => string.Join(',', Requirements);

    private static List<string> SplitTopLevel(string selector)
    {
        var terms = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    terms.Add(selector[start..i]);
                    start = i + 1;
                    break;
            }
            if (depth < 0)
                throw Malformed(selector, "unbalanced ')'");
        }
        if (depth != 0)
            throw Malformed(selector, "unbalanced '('");
        terms.Add(selector[start..]);
        return terms;
    }

    private static LabelRequirement ParseTerm(string term, string selector)
    {
        if (term.Length == 0)
            throw Malformed(selector, "empty term");
        if (term[0] == '!')
            return new LabelRequirement(Key(term[1..], selector), SelectorOperator.DoesNotExist, []);

        int open = term.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0)
        {
            if (term[^1] != ')')
                throw Malformed(selector, $"'{term}' does not end with ')'");
            string head = term[..open].TrimEnd();
            SelectorOperator op;
            string keyPart;
            if (head.EndsWith(" notin", StringComparison.Ordinal))
                (op, keyPart) = (SelectorOperator.NotIn, head[..^6]);
            else if (head.EndsWith(" in", StringComparison.Ordinal))
                (op, keyPart) = (SelectorOperator.In, head[..^3]);
            else
                throw Malformed(selector, $"'{term}' has no 'in' or 'notin'");
            string[] values = term[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
            return new LabelRequirement(Key(keyPart, selector), op, values);
        }

        int bang = term.IndexOf("!=", StringComparison.Ordinal);
        if (bang >= 0)
            return new LabelRequirement(Key(term[..bang], selector), SelectorOperator.NotEquals, [term[(bang + 2)..].Trim()]);
        int eq = term.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            int valueStart = eq + 1 < term.Length && term[eq + 1] == '=' ? eq + 2 : eq + 1;
            return new LabelRequirement(Key(term[..eq], selector), SelectorOperator.Equals, [term[valueStart..].Trim()]);
        }
        return new LabelRequirement(Key(term, selector), SelectorOperator.Exists, []);
    }

    private static string Key(string key, string selector)
    {
        key = key.Trim();
        if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            throw Malformed(selector, $"'{key}' is not a label key");
        return key;
    }

    private static FormatException Malformed(string selector, string why)
        => new(string.Format(CultureInfo.InvariantCulture, "invalid label selector '{0}': {1}", selector, why));
}
