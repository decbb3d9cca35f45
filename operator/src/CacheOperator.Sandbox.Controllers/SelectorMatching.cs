using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Sandbox.Controllers;

/// <summary>Whether labels satisfy a meta/v1 LabelSelector (matchLabels and matchExpressions, all of them).</summary>
public static class SelectorMatching
{
    /// <summary>
    /// True when every term holds. A null or empty selector selects nothing here: apps/v1 forbids it, and a
    /// controller must never claim every pod of a namespace because of a missing selector.
    /// </summary>
    public static bool Matches(LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0))
            return false;
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (labels is null || !labels.TryGetValue(key, out string? actual) || actual != value)
                return false;
        }
        foreach (LabelSelectorRequirement requirement in selector.MatchExpressions ?? [])
        {
            string? actual = null;
            bool present = labels is not null && labels.TryGetValue(requirement.Key, out actual);
            IList<string> values = requirement.Values ?? [];
            bool holds = requirement.Operator switch
            {
                "In" => present && values.Contains(actual!),
                "NotIn" => !present || !values.Contains(actual!),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!holds)
                return false;
        }
        return true;
    }
}
