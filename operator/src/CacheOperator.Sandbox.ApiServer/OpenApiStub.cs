using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// Just enough OpenAPI v3 for kubectl: each group-version lists a PATCH path per kind that accepts
/// `fieldValidation`, so kubectl leaves validation to the server instead of failing to download schemas.
/// </summary>
internal static class OpenApiStub
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, versions) in registry.Groups())
        {
            foreach (var version in versions)
            {
                var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(registry, group, version)}" };
            }
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject GroupVersion(ResourceRegistry registry, string group, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        foreach (var type in registry.All.Where(t => t.Group == group && t.Version == version))
        {
            var path = type.Namespaced
                ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}"
                : $"{prefix}/{type.Plural}/{{name}}";
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind },
                    ["parameters"] = new JsonArray(
                        Parameter("dryRun"), Parameter("fieldManager"), Parameter("fieldValidation"), Parameter("force")),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
            if (type.Schema is not null)
            {
                // Custom resources carry their schema, so `kubectl explain` works for them.
                var schema = Json.Clone(type.Schema);
                schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind });
                if (schema["properties"] is JsonObject properties)
                {
                    properties["apiVersion"] ??= new JsonObject { ["type"] = "string", ["description"] = "APIVersion defines the versioned schema of this representation of an object." };
                    properties["kind"] ??= new JsonObject { ["type"] = "string", ["description"] = "Kind is a string value representing the REST resource this object represents." };
                    properties["metadata"] = new JsonObject { ["type"] = "object", ["description"] = "Standard object's metadata." };
                }

                schemas[SchemaName(group, version, type.Kind)] = schema;
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.4" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>`io.cacheoperator.v1alpha1.CacheCluster`: the group reversed, as the real server names CRD schemas.</summary>
    private static string SchemaName(string group, string version, string kind) =>
        string.Join('.', group.Split('.').Reverse()) + "." + version + "." + kind;

    private static JsonObject Parameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    /// <summary>Changes when the kinds served at a group-version change, so kubectl's cache notices new CRDs.</summary>
    private static string Hash(ResourceRegistry registry, string group, string version)
    {
        var text = string.Join(",", registry.All.Where(t => t.Group == group && t.Version == version).Select(t => t.Kind));
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return Convert.ToHexString(bytes, 0, 8);
    }
}
