using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>One served resource at one group-version: names, scope, subresources and, for custom resources, the schema.</summary>
internal sealed record ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool HasStatus { get; init; }

    /// <summary>Nodes may be created with their status; other kinds with a status subresource drop it.</summary>
    public bool KeepsStatusOnCreate { get; init; }

    public ScaleSubresource? Scale { get; init; }

    /// <summary>For custom resources: the version's openAPIV3Schema.</summary>
    public JsonObject? Schema { get; init; }

    public bool IsCustom { get; init; }

    /// <summary>For custom resources: additionalPrinterColumns of this version.</summary>
    public JsonArray? PrinterColumns { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>All versions of a resource share one store.</summary>
    public string StoreKey => $"{Group}/{Plural}";

    /// <summary>`configmaps` or `cacheclusters.cacheoperator.io`, as error messages name a resource.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public JsonObject Details(string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (Group.Length > 0)
        {
            details["group"] = Group;
        }

        details["kind"] = Plural;
        return details;
    }
}
