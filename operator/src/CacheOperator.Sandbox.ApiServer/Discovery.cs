using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>Discovery documents, classic (APIVersions, APIGroupList, APIResourceList) and aggregated (v2).</summary>
internal static class Discovery
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static readonly string[] ObjectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.4",
        ["gitCommit"] = "sandbox",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-04-22T00:00:00Z",
        ["goVersion"] = "go1.23.6",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject ApiVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
    };

    public static JsonObject GroupList(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. registry.Groups().Where(g => g.Group.Length > 0).Select(g => (JsonNode)Group(g.Group, g.Versions))]),
    };

    public static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        JsonObject Entry(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Entry(v))]),
            ["preferredVersion"] = Entry(versions[0]),
        };
    }

    public static JsonObject ResourceList(ResourceRegistry registry, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in registry.All.Where(t => t.Group == group && t.Version == version))
        {
            resources.Add(ClassicResource(type.Plural, type, type.Kind, ObjectVerbs, null, null));
            if (type.HasStatus)
            {
                resources.Add(ClassicResource(type.Plural + "/status", type, type.Kind, SubresourceVerbs, null, null));
            }

            if (type.Scale is not null)
            {
                resources.Add(ClassicResource(type.Plural + "/scale", type, "Scale", SubresourceVerbs, "autoscaling", "v1"));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>The aggregated document for `/api` (core only) or `/apis` (every named group).</summary>
    public static JsonObject Aggregated(ResourceRegistry registry, bool core)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in registry.Groups().Where(g => (g.Group.Length == 0) == core))
        {
            var versionItems = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var type in registry.All.Where(t => t.Group == group && t.Version == version))
                {
                    resources.Add(AggregatedResource(type));
                }

                versionItems.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null },
                ["versions"] = versionItems,
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject ClassicResource(string name, ResourceType type, string kind, string[] verbs, string? group, string? version)
    {
        var resource = new JsonObject
        {
            ["name"] = name,
            ["singularName"] = name.Contains('/', StringComparison.Ordinal) ? "" : type.Singular,
            ["namespaced"] = type.Namespaced,
            ["kind"] = kind,
            ["verbs"] = new JsonArray([.. verbs.Select(v => JsonValue.Create(v))]),
        };
        if (group is not null)
        {
            resource["group"] = group;
            resource["version"] = version;
        }

        if (!name.Contains('/', StringComparison.Ordinal))
        {
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => JsonValue.Create(s))]);
            }

            if (type.Categories.Count > 0)
            {
                resource["categories"] = new JsonArray([.. type.Categories.Select(s => JsonValue.Create(s))]);
            }
        }

        return resource;
    }

    private static JsonObject AggregatedResource(ResourceType type)
    {
        var resource = new JsonObject
        {
            ["resource"] = type.Plural,
            ["responseKind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
            ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = type.Singular,
            ["verbs"] = new JsonArray([.. ObjectVerbs.Select(v => JsonValue.Create(v))]),
        };
        if (type.ShortNames.Count > 0)
        {
            resource["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => JsonValue.Create(s))]);
        }

        if (type.Categories.Count > 0)
        {
            resource["categories"] = new JsonArray([.. type.Categories.Select(s => JsonValue.Create(s))]);
        }

        var subresources = new JsonArray();
        if (type.HasStatus)
        {
            subresources.Add(new JsonObject
            {
                ["subresource"] = "status",
                ["responseKind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                ["verbs"] = new JsonArray([.. SubresourceVerbs.Select(v => JsonValue.Create(v))]),
            });
        }

        if (type.Scale is not null)
        {
            subresources.Add(new JsonObject
            {
                ["subresource"] = "scale",
                ["responseKind"] = new JsonObject { ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale" },
                ["verbs"] = new JsonArray([.. SubresourceVerbs.Select(v => JsonValue.Create(v))]),
            });
        }

        if (subresources.Count > 0)
        {
            resource["subresources"] = subresources;
        }

        return resource;
    }
}
