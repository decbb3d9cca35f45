using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// What a real server does with a structural OpenAPI v3 schema on every write of a custom resource: prune
/// unknown fields, apply defaults, validate. CEL rules (x-kubernetes-validations) are only detected.
/// </summary>
internal static class SchemaProcessor
{
    /// <summary>Prunes, defaults and validates; returns pruned field paths and whether CEL rules were seen.</summary>
    public static (List<string> Pruned, List<FieldError> Errors, bool HasCel) Process(JsonObject obj, JsonObject schema)
    {
        var pruned = new List<string>();
        var errors = new List<FieldError>();
        var properties = schema["properties"] as JsonObject;
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            var propertySchema = properties?[key] as JsonObject;
            if (propertySchema is null)
            {
                if (!Json.IsTrue(schema["x-kubernetes-preserve-unknown-fields"]))
                {
                    obj.Remove(key);
                    pruned.Add(key);
                }

                continue;
            }

            if (value is not null)
            {
                Prune(value, propertySchema, key, pruned);
            }
        }

        Default(obj, schema);
        foreach (var (key, propertySchema) in properties ?? [])
        {
            if (key is "apiVersion" or "kind" or "metadata" || propertySchema is not JsonObject ps)
            {
                continue;
            }

            if (obj.TryGetPropertyValue(key, out var value))
            {
                Validate(value, ps, key, errors);
            }
            else if (IsRequired(schema, key))
            {
                errors.Add(new FieldError(key, "FieldValueRequired", "Required value"));
            }
        }

        return (pruned, errors, HasCel(schema));
    }

    private static bool IsRequired(JsonObject schema, string key) =>
        schema["required"] is JsonArray required && required.Any(r => r?.GetValue<string>() == key);

    private static bool HasCel(JsonNode? node) =>
        node switch
        {
            JsonObject o => o.ContainsKey("x-kubernetes-validations") || o.Any(p => HasCel(p.Value)),
            JsonArray a => a.Any(HasCel),
            _ => false,
        };

    private static void Prune(JsonNode node, JsonObject schema, string path, List<string> pruned)
    {
        if (node is JsonObject obj)
        {
            var properties = schema["properties"] as JsonObject;
            var additional = schema["additionalProperties"] as JsonObject;
            var preserve = Json.IsTrue(schema["x-kubernetes-preserve-unknown-fields"])
                || Json.IsTrue(schema["x-kubernetes-embedded-resource"])
                || schema["additionalProperties"] is JsonValue;
            foreach (var (key, value) in obj.ToList())
            {
                var childSchema = properties?[key] as JsonObject ?? additional;
                if (childSchema is null)
                {
                    if (!preserve)
                    {
                        obj.Remove(key);
                        pruned.Add($"{path}.{key}");
                    }

                    continue;
                }

                if (value is not null)
                {
                    Prune(value, childSchema, $"{path}.{key}", pruned);
                }
            }
        }
        else if (node is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } item)
                {
                    Prune(item, items, $"{path}[{i}]", pruned);
                }
            }
        }
    }

    private static void Default(JsonNode node, JsonObject schema)
    {
        if (node is JsonObject obj)
        {
            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (key, propertySchema) in properties)
                {
                    if (propertySchema is not JsonObject ps)
                    {
                        continue;
                    }

                    if (!obj.ContainsKey(key) && ps["default"] is { } defaultValue && key is not "metadata")
                    {
                        obj[key] = defaultValue.DeepClone();
                    }

                    if (obj[key] is { } child && key is not "metadata")
                    {
                        Default(child, ps);
                    }
                }
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                foreach (var (_, value) in obj.ToList())
                {
                    if (value is not null)
                    {
                        Default(value, additional);
                    }
                }
            }
        }
        else if (node is JsonArray array && schema["items"] is JsonObject items)
        {
            foreach (var item in array)
            {
                if (item is not null)
                {
                    Default(item, items);
                }
            }
        }
    }

    private static void Validate(JsonNode? node, JsonObject schema, string path, List<FieldError> errors)
    {
        if (node is null)
        {
            if (!Json.IsTrue(schema["nullable"]) && schema["type"] is not null)
            {
                errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"Invalid value: \"null\": {path} in body must be of type {Json.Str(schema, "type")}: \"null\""));
            }

            return;
        }

        var type = Json.Str(schema, "type");
        var intOrString = Json.IsTrue(schema["x-kubernetes-int-or-string"]);
        var kind = node.GetValueKind();
        var actual = kind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsInteger(node) ? "integer" : "number",
            _ => "null",
        };
        var typeMatches = type is null
            || type == actual
            || (type == "number" && actual == "integer")
            || (intOrString && actual is "integer" or "string");
        if (intOrString && actual is "integer" or "string")
        {
            typeMatches = true;
        }

        if (!typeMatches)
        {
            errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {path} in body must be of type {type}: \"{actual}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var supported = string.Join(", ", allowed.Select(a => a?.ToJsonString()));
            errors.Add(new FieldError(path, "FieldValueNotSupported", $"Unsupported value: {node.ToJsonString()}: supported values: {supported}"));
        }

        switch (node)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, errors);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, errors);
                break;
            case JsonValue value when actual is "integer" or "number":
                ValidateNumber(Json.Number(value) ?? 0, node.ToJsonString(), schema, path, errors);
                break;
            case JsonValue value when actual == "string":
                ValidateString(value.GetValue<string>(), schema, path, errors);
                break;
        }
    }

    private static void ValidateObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var required in schema["required"] as JsonArray ?? [])
        {
            var name = required?.GetValue<string>() ?? "";
            if (!obj.ContainsKey(name))
            {
                errors.Add(new FieldError($"{path}.{name}", "FieldValueRequired", "Required value"));
            }
        }

        foreach (var (key, value) in obj)
        {
            var childSchema = properties?[key] as JsonObject ?? schema["additionalProperties"] as JsonObject;
            if (childSchema is not null)
            {
                Validate(value, childSchema, $"{path}.{key}", errors);
            }
        }
    }

    private static void ValidateArray(JsonArray array, JsonObject schema, string path, List<FieldError> errors)
    {
        if (Json.Long(schema["minItems"]) is { } minItems && array.Count < minItems)
        {
            errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {array.Count}: {path} in body should have at least {minItems} items"));
        }

        if (Json.Long(schema["maxItems"]) is { } maxItems && array.Count > maxItems)
        {
            errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {array.Count}: must have at most {maxItems} items"));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, $"{path}[{i}]", errors);
            }
        }
    }

    private static void ValidateNumber(double value, string text, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["minimum"] is JsonValue minimumNode)
        {
            var minimum = Json.Number(minimumNode) ?? 0;
            var exclusive = Json.IsTrue(schema["exclusiveMinimum"]);
            if (exclusive ? value <= minimum : value < minimum)
            {
                var words = exclusive ? "greater than" : "greater than or equal to";
                errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {text}: {path} in body should be {words} {Format(minimum)}"));
            }
        }

        if (schema["maximum"] is JsonValue maximumNode)
        {
            var maximum = Json.Number(maximumNode) ?? 0;
            var exclusive = Json.IsTrue(schema["exclusiveMaximum"]);
            if (exclusive ? value >= maximum : value > maximum)
            {
                var words = exclusive ? "less than" : "less than or equal to";
                errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {text}: {path} in body should be {words} {Format(maximum)}"));
            }
        }
    }

    private static void ValidateString(string value, JsonObject schema, string path, List<FieldError> errors)
    {
        var quoted = JsonSerializer.Serialize(value);
        if (Json.Long(schema["minLength"]) is { } minLength && value.Length < minLength)
        {
            errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {quoted}: {path} in body should be at least {minLength} chars long"));
        }

        if (Json.Long(schema["maxLength"]) is { } maxLength && value.Length > maxLength)
        {
            errors.Add(new FieldError(path, "FieldValueTooLong", $"Too long: may not be more than {maxLength} bytes"));
        }

        if (Json.Str(schema, "pattern") is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {quoted}: {path} in body should match '{pattern}'"));
        }
    }

    private static bool IsInteger(JsonNode node) =>
        long.TryParse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
