using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CacheOperator.Api.Schema;
using CacheOperator.Api.V1Alpha1;

namespace CacheOperator.Api.Validation;

/// <summary>
/// Checks a spec against everything the CRD schema says: bounds, patterns, enumerations, list keys and the CEL
/// rules, each CEL rule through its C# twin below. A real API server rejects such a spec itself; the operator
/// runs this as well so that a server that does not enforce the schema (the sandbox) still gets a refusal, in
/// status, with the same messages.
/// </summary>
public static class CacheClusterValidator
{
    private static readonly Dictionary<string, Func<object, bool>> CelTwins = new(StringComparer.Ordinal)
    {
        [CelRules.NameLength] = self => (((CacheCluster)self).Metadata.Name ?? "").Length <= 31,
        [CelRules.MemoryRange] = self => InRange((string)self, 64m * Mi, 256m * Gi),
        [CelRules.MaxItemSizeRange] = self => InRange((string)self, 1m * Ki, 128m * Mi),
        [CelRules.MaxItemSizeFitsMemory] = self =>
        {
            var spec = (CacheClusterSpec)self;
            return !Quantity.TryParse(spec.MaxItemSize, out var item) || !Quantity.TryParse(spec.Memory, out var memory)
                || item * 8 <= memory;
        },
        [CelRules.MaxItemSizeFitsPoolMemory] = self =>
        {
            var spec = (CacheClusterSpec)self;
            return !Quantity.TryParse(spec.MaxItemSize, out var item)
                || spec.Pools.All(p => !Quantity.TryParse(p.Memory, out var memory) || item * 8 <= memory);
        },
        [CelRules.PrefixesDisjoint] = self =>
        {
            var pools = (IList<PoolSpec>)self;
            return pools.All(p => pools.All(q => p.Name == q.Name || !p.Prefixes.Any(q.Prefixes.Contains)));
        },
        [CelRules.PoolNameNotDefault] = self => ((PoolSpec)self).Name != "default",
        [CelRules.TlsSecretRequired] = self => !((TlsSpec)self).Enabled || !string.IsNullOrEmpty(((TlsSpec)self).SecretName),
    };

    private const decimal Ki = 1024m;
    private const decimal Mi = Ki * Ki;
    private const decimal Gi = Mi * Ki;

    /// <summary>
    /// Every reason <paramref name="cluster"/> is invalid (its name and its spec); empty when it is valid. The
    /// operator calls this one.
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(CacheCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new List<ValidationError>();
        foreach (var rule in typeof(CacheCluster).GetCustomAttributes<CelRuleAttribute>())
            CheckRule(rule, cluster, "metadata.name", errors);
        ValidateObject(cluster.Spec, "spec", errors);
        return errors;
    }

    /// <summary>Every reason <paramref name="spec"/> is invalid; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationError> Validate(CacheClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<ValidationError>();
        ValidateObject(spec, "spec", errors);
        return errors;
    }

    /// <summary>Whether <paramref name="rule"/> has a C# twin here (a test asserts every rule in the types does).</summary>
    public static bool HasTwin(string rule) => CelTwins.ContainsKey(rule);

    /// <summary>
    /// The C# twin's verdict on <paramref name="self"/> (the object or field the rule sits on), for tests that
    /// hold the twins against a real CEL evaluator.
    /// </summary>
    public static bool EvaluateTwin(string rule, object self)
    {
        ArgumentNullException.ThrowIfNull(self);
        return CelTwins.TryGetValue(rule, out var twin)
            ? twin(self)
            : throw new ArgumentException($"no C# twin for the CEL rule {rule}", nameof(rule));
    }

    private static void ValidateObject(object value, string path, List<ValidationError> errors)
    {
        var type = value.GetType();
        foreach (var rule in type.GetCustomAttributes<CelRuleAttribute>())
            CheckRule(rule, value, path, errors);

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null)
                continue;
            ValidateProperty(property, property.GetValue(value), $"{path}.{name}", errors);
        }
    }

    private static void ValidateProperty(PropertyInfo property, object? value, string path, List<ValidationError> errors)
    {
        if (value is null)
        {
            if (property.IsDefined(typeof(RequiredAttribute)))
                errors.Add(new(path, "is required"));
            return;
        }

        if (property.IsDefined(typeof(PreserveUnknownFieldsAttribute)))
            return;

        switch (value)
        {
            case string text:
                CheckString(property, text, path, errors);
                break;
            case int or long:
                CheckNumber(property, Convert.ToInt64(value, CultureInfo.InvariantCulture), path, errors);
                break;
            case IDictionary map:
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Value is string text)
                        CheckString(property, text, $"{path}[{entry.Key}]", errors);
                }

                break;
            case IList list:
                CheckList(property, list, path, errors);
                break;
            case bool:
                break;
            default:
                ValidateObject(value, path, errors);
                break;
        }

        foreach (var rule in property.GetCustomAttributes<CelRuleAttribute>())
            CheckRule(rule, value, path, errors);
    }

    private static void CheckString(PropertyInfo property, string text, string path, List<ValidationError> errors)
    {
        if (property.GetCustomAttribute<EnumAttribute>() is { } allowed && !allowed.Values.Contains(text))
            errors.Add(new(path, $"Unsupported value: \"{text}\": supported values: {string.Join(", ", allowed.Values.Select(v => $"\"{v}\""))}"));
        if (property.GetCustomAttribute<MinLengthAttribute>() is { } min && text.Length < min.Value)
            errors.Add(new(path, $"should be at least {min.Value} chars long"));
        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } max && text.Length > max.Value)
            errors.Add(new(path, $"may not be more than {max.Value} bytes"));
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern && !Regex.IsMatch(text, pattern.Regex, RegexOptions.CultureInvariant))
            errors.Add(new(path, $"should match '{pattern.Regex}'"));
    }

    private static void CheckNumber(PropertyInfo property, long number, string path, List<ValidationError> errors)
    {
        if (property.GetCustomAttribute<MinimumAttribute>() is { } min && number < min.Value)
            errors.Add(new(path, $"should be greater than or equal to {min.Value}"));
        if (property.GetCustomAttribute<MaximumAttribute>() is { } max && number > max.Value)
            errors.Add(new(path, $"should be less than or equal to {max.Value}"));
    }

    private static void CheckList(PropertyInfo property, IList list, string path, List<ValidationError> errors)
    {
        if (property.GetCustomAttribute<MinItemsAttribute>() is { } min && list.Count < min.Value)
            errors.Add(new(path, $"should have at least {min.Value} items"));
        if (property.GetCustomAttribute<MaxItemsAttribute>() is { } max && list.Count > max.Value)
            errors.Add(new(path, $"must have at most {max.Value} items"));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var keys = property.GetCustomAttribute<ListMapKeyAttribute>()?.Keys;
        bool isSet = property.IsDefined(typeof(ListSetAttribute));
        for (int i = 0; i < list.Count; i++)
        {
            var item = list[i];
            var itemPath = $"{path}[{i}]";
            if (item is null)
                continue;
            if (item is string text)
            {
                CheckString(property, text, itemPath, errors);
                if (isSet && !seen.Add(text))
                    errors.Add(new(itemPath, $"Duplicate value: \"{text}\""));
                continue;
            }

            ValidateObject(item, itemPath, errors);
            if (keys is not null)
            {
                var key = string.Join(",", keys.Select(k => $"\"{k}\":\"{KeyValue(item, k)}\""));
                if (!seen.Add(key))
                    errors.Add(new(itemPath, $"Duplicate value: {{{key}}}"));
            }
        }
    }

    private static string? KeyValue(object item, string jsonName) =>
        item.GetType().GetProperties()
            .FirstOrDefault(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == jsonName)
            ?.GetValue(item)?.ToString();

    private static void CheckRule(CelRuleAttribute rule, object self, string path, List<ValidationError> errors)
    {
        if (!CelTwins.TryGetValue(rule.Rule, out var twin))
            throw new InvalidOperationException($"the CEL rule at {path} has no C# twin in {nameof(CacheClusterValidator)}: {rule.Rule}");
        if (!twin(self))
            errors.Add(new(path, rule.Message));
    }

    private static bool InRange(string text, decimal min, decimal max) =>
        Quantity.TryParse(text, out var value) && value >= min && value <= max;
}
