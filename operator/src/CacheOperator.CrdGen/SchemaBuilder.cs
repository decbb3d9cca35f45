using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.CrdGen;

/// <summary>
/// Turns C# types into a structural OpenAPI v3 schema: a type on every node, properties sorted by name, defaults,
/// bounds, patterns, enumerations, list types and CEL rules from the schema attributes.
/// </summary>
public static class SchemaBuilder
{
    /// <summary>The root schema of a custom resource type: apiVersion, kind, metadata, then its own fields.</summary>
    public static JsonObject ForResource(Type resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var schema = ForClass(resourceType);
        var properties = (JsonObject)schema["properties"]!;
        properties["apiVersion"] = new JsonObject
        {
            ["description"] = "The versioned schema of this representation of an object.",
            ["type"] = "string",
        };
        properties["kind"] = new JsonObject
        {
            ["description"] = "The REST resource this object represents.",
            ["type"] = "string",
        };
        properties["metadata"] = new JsonObject { ["type"] = "object" };
        schema["properties"] = properties;
        return Canonical(schema);
    }

    private static JsonObject ForClass(Type type)
    {
        var schema = new JsonObject();
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
            schema["description"] = description.Text;
        schema["type"] = "object";

        var properties = new JsonObject();
        var required = new List<string>();
        foreach (var property in SchemaProperties(type))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name;
            properties[name] = ForProperty(property);
            if (property.IsDefined(typeof(RequiredAttribute)))
                required.Add(name);
        }

        if (type == typeof(Condition))
            DescribeCondition(schema, properties, required);
        schema["properties"] = properties;
        if (required.Count > 0)
            schema["required"] = Strings(required.Order(StringComparer.Ordinal));
        AddRules(schema, type.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    /// <summary>
    /// The fields that belong in the schema: those with a JSON name. The base object's apiVersion, kind and
    /// metadata are added by <see cref="ForResource"/>; extension data (unknown fields) is not a field.
    /// </summary>
    private static IEnumerable<PropertyInfo> SchemaProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType != typeof(KubernetesObject)
                        && p.IsDefined(typeof(JsonPropertyNameAttribute))
                        && !p.IsDefined(typeof(JsonExtensionDataAttribute))
                        && p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always });

    private static JsonObject ForProperty(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        JsonObject schema;
        if (property.IsDefined(typeof(PreserveUnknownFieldsAttribute)))
        {
            schema = ListItemType(type) is null
                ? PreserveUnknown()
                : new JsonObject { ["type"] = "array", ["items"] = PreserveUnknown() };
        }
        else if (MapValueType(type) is { } valueType)
        {
            var values = property.IsDefined(typeof(IntOrStringAttribute)) ? IntOrString() : ForType(valueType);
            AddStringConstraints(values, property);
            schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = values };
        }
        else if (ListItemType(type) is { } itemType)
        {
            var items = ForType(itemType);
            if (itemType == typeof(string))
                AddStringConstraints(items, property);
            schema = new JsonObject { ["type"] = "array", ["items"] = items };
            if (property.GetCustomAttribute<MinItemsAttribute>() is { } minItems)
                schema["minItems"] = minItems.Value;
            if (property.GetCustomAttribute<MaxItemsAttribute>() is { } maxItems)
                schema["maxItems"] = maxItems.Value;
            if (property.GetCustomAttribute<ListMapKeyAttribute>() is { } mapKeys)
            {
                schema["x-kubernetes-list-type"] = "map";
                schema["x-kubernetes-list-map-keys"] = Strings(mapKeys.Keys);
                // The API server requires map keys to be required (or defaulted) in the items.
                var required = (items["required"] as JsonArray)?.Select(n => (string)n!) ?? [];
                items["required"] = Strings(required.Union(mapKeys.Keys).Order(StringComparer.Ordinal));
            }
            else if (property.IsDefined(typeof(ListSetAttribute)))
            {
                schema["x-kubernetes-list-type"] = "set";
            }
        }
        else
        {
            schema = ForType(type);
            if (type == typeof(string))
                AddStringConstraints(schema, property);
            if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum)
                schema["minimum"] = minimum.Value;
            if (property.GetCustomAttribute<MaximumAttribute>() is { } maximum)
                schema["maximum"] = maximum.Value;
        }

        if (property.GetCustomAttribute<DefaultAttribute>() is { } value)
            schema["default"] = Scalar(value.Value);
        else if (property.IsDefined(typeof(DefaultObjectAttribute)))
            schema["default"] = new JsonObject();

        AddRules(schema, property.GetCustomAttributes<CelRuleAttribute>());
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
            schema["description"] = description.Text;
        return schema;
    }

    private static JsonObject ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return new JsonObject { ["type"] = "string" };
        if (type == typeof(bool))
            return new JsonObject { ["type"] = "boolean" };
        if (type == typeof(int))
            return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        if (type == typeof(long))
            return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        if (type == typeof(double))
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        if (type == typeof(ObjectMeta))
            return new JsonObject { ["type"] = "object" };
        if (type.IsClass && type != typeof(object) && MapValueType(type) is null && ListItemType(type) is null
            && !type.Namespace!.StartsWith("System", StringComparison.Ordinal))
            return ForClass(type);
        throw new NotSupportedException($"no schema for the type {type} (add it to {nameof(SchemaBuilder)})");
    }

    /// <summary>
    /// The Kubernetes model carries no schema attributes; these are meta/v1 Condition's rules that our writers keep
    /// (lastTransitionTime, reason and message stay optional here because the model allows them to be null).
    /// </summary>
    private static void DescribeCondition(JsonObject schema, JsonObject properties, List<string> required)
    {
        schema["description"] = "A condition in the shape of meta/v1 Condition.";
        properties["status"]!["enum"] = Strings(["True", "False", "Unknown"]);
        properties["type"]!["description"] = "Ready, Progressing or Degraded.";
        properties["observedGeneration"]!["description"] = "The metadata.generation the condition was computed for.";
        required.AddRange(["status", "type"]);
    }

    private static void AddStringConstraints(JsonObject schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<EnumAttribute>() is { } allowed)
            schema["enum"] = Strings(allowed.Values);
        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
            schema["minLength"] = minLength.Value;
        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength)
            schema["maxLength"] = maxLength.Value;
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
            schema["pattern"] = pattern.Regex;
    }

    private static void AddRules(JsonObject schema, IEnumerable<CelRuleAttribute> rules)
    {
        var list = (schema["x-kubernetes-validations"] as JsonArray) ?? [];
        foreach (var rule in rules.OrderBy(r => r.Rule, StringComparer.Ordinal))
            list.Add(new JsonObject { ["message"] = rule.Message, ["rule"] = rule.Rule });
        if (list.Count > 0)
            schema["x-kubernetes-validations"] = list;
    }

    private static JsonValue Scalar(object value) => value switch
    {
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int or long => JsonValue.Create(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"a default of type {value.GetType()} (use a string, integer or boolean)"),
    };

    private static JsonObject PreserveUnknown() =>
        new() { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };

    private static JsonObject IntOrString() => new()
    {
        ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
        ["x-kubernetes-int-or-string"] = true,
    };

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string) || !type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(IReadOnlyList<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? MapValueType(Type type)
    {
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        return (definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>))
               && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;
    }

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)v)];

    /// <summary>
    /// One key order for every schema node (description first, then the type, then the rest by name) and fields
    /// by name, so the generated file reads the same way everywhere and changes only when the types do. Arrays keep
    /// their order: an enumeration's order is the author's.
    /// </summary>
    private static JsonObject Canonical(JsonObject schema, bool isFieldMap = false)
    {
        var entries = schema.ToList();
        schema.Clear();
        var ordered = new JsonObject();
        var sorted = isFieldMap
            ? entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            : entries.OrderBy(e => KeyRank(e.Key)).ThenBy(e => e.Key, StringComparer.Ordinal);
        foreach (var (key, value) in sorted)
            ordered[key] = CanonicalValue(value, fieldMap: !isFieldMap && key == "properties");
        return ordered;
    }

    private static JsonNode? CanonicalValue(JsonNode? value, bool fieldMap)
    {
        switch (value)
        {
            case JsonObject obj:
                return Canonical(obj, fieldMap);
            case JsonArray array:
                var items = array.ToList();
                array.Clear();
                var copy = new JsonArray();
                foreach (var item in items)
                    copy.Add(CanonicalValue(item, fieldMap: false));
                return copy;
            default:
                return value;
        }
    }

    private static int KeyRank(string key) => key switch
    {
        "description" => 0,
        "type" => 1,
        _ => 2,
    };
}
