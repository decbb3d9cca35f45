using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// The checks a real server makes that an operator is most likely to trip: object names, label keys and
/// values, ConfigMap and Secret keys, immutable ConfigMaps and Secrets, and the fields of StatefulSets,
/// Deployments and Services that may not change. Messages are Kubernetes' own.
/// </summary>
internal static partial class ObjectValidation
{
    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private const string Dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    private const string LabelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private const string QualifiedNameMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private const string ConfigKeyMessage = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    private static readonly HashSet<string> StatefulSetMutableSpec = new(StringComparer.Ordinal)
    {
        "replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds",
    };

    public static List<FieldError> ForCreate(ResourceType type, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var name = Json.Str(obj, "metadata", "name") ?? "";
        ValidateName(type, name, errors);
        ValidateLabels(obj["metadata"]?["labels"] as JsonObject, errors);
        ValidateKeys(type, obj, errors);
        return errors;
    }

    public static List<FieldError> ForUpdate(ResourceType type, JsonObject current, JsonObject next)
    {
        var errors = new List<FieldError>();
        ValidateLabels(next["metadata"]?["labels"] as JsonObject, errors);
        ValidateKeys(type, next, errors);
        switch (type.StoreKey)
        {
            case "apps/statefulsets":
                var before = current["spec"] as JsonObject ?? [];
                var after = next["spec"] as JsonObject ?? [];
                var keys = before.Select(p => p.Key).Union(after.Select(p => p.Key)).Where(k => !StatefulSetMutableSpec.Contains(k));
                if (keys.Any(k => !JsonNode.DeepEquals(before[k], after[k])))
                {
                    errors.Add(new FieldError("spec", "FieldValueForbidden", "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
                }

                break;
            case "apps/deployments":
            case "apps/replicasets":
                Immutable(current, next, "spec.selector", errors);
                break;
            case "/services":
                if (Json.Str(next, "spec", "type") != "ExternalName" && Json.Str(current, "spec", "clusterIP") is { Length: > 0 } ip
                    && Json.Str(next, "spec", "clusterIP") is { Length: > 0 } nextIp && nextIp != ip)
                {
                    errors.Add(new FieldError("spec.clusterIPs[0]", "FieldValueInvalid", $"Invalid value: []string{{\"{nextIp}\"}}: may not change once set"));
                }

                break;
            case "/configmaps":
            case "/secrets":
                if (Json.IsTrue(current["immutable"]))
                {
                    if (!JsonNode.DeepEquals(current["data"], next["data"]))
                    {
                        errors.Add(new FieldError("data", "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set"));
                    }

                    if (!Json.IsTrue(next["immutable"]))
                    {
                        errors.Add(new FieldError("immutable", "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set"));
                    }
                }

                break;
        }

        return errors;
    }

    private static void ValidateName(ResourceType type, string name, List<FieldError> errors)
    {
        if (type.Group == "rbac.authorization.k8s.io")
        {
            // RBAC names are path segments (`system:controller:x` is fine).
            if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal))
            {
                errors.Add(new FieldError("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": may not contain '/' or '%' and may not be '.' or '..'"));
            }

            return;
        }

        var (pattern, message, max) = type.StoreKey switch
        {
            "/namespaces" => (Label(), LabelMessage, 63),
            "/services" => (Dns1035(), Dns1035Message, 63),
            _ => (Subdomain(), SubdomainMessage, 253),
        };
        if (name.Length > max)
        {
            errors.Add(new FieldError("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be no more than {max} characters"));
        }

        if (!pattern.IsMatch(name))
        {
            errors.Add(new FieldError("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {message}"));
        }
    }

    private static void ValidateLabels(JsonObject? labels, List<FieldError> errors)
    {
        foreach (var (key, valueNode) in labels ?? [])
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            var prefix = slash >= 0 ? key[..slash] : null;
            var namePart = slash >= 0 ? key[(slash + 1)..] : key;
            if (prefix is not null && (prefix.Length > 253 || !Subdomain().IsMatch(prefix)))
            {
                errors.Add(new FieldError("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{key}\": prefix part {SubdomainMessage}"));
            }

            if (namePart.Length is 0 or > 63 || !QualifiedName().IsMatch(namePart))
            {
                errors.Add(new FieldError("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{key}\": {QualifiedNameMessage}"));
            }

            var value = valueNode is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
            if (value is null || value.Length > 63 || !LabelValue().IsMatch(value))
            {
                errors.Add(new FieldError("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{value ?? valueNode?.ToJsonString()}\": {LabelValueMessage}"));
            }
        }
    }

    private static void ValidateKeys(ResourceType type, JsonObject obj, List<FieldError> errors)
    {
        if (type.StoreKey is not ("/configmaps" or "/secrets"))
        {
            return;
        }

        foreach (var field in new[] { "data", "binaryData" })
        {
            foreach (var (key, _) in obj[field] as JsonObject ?? [])
            {
                if (key.Length > 253 || !ConfigKey().IsMatch(key))
                {
                    errors.Add(new FieldError($"{field}[{key}]", "FieldValueInvalid", $"Invalid value: \"{key}\": {ConfigKeyMessage}"));
                }
            }
        }
    }

    private static void Immutable(JsonObject current, JsonObject next, string path, List<FieldError> errors)
    {
        var before = Json.At(current, path);
        var after = Json.At(next, path);
        if (before is not null && !JsonNode.DeepEquals(before, after))
        {
            errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: {after?.ToJsonString() ?? "null"}: field is immutable"));
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();
}
