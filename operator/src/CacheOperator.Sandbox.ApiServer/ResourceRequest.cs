namespace CacheOperator.Sandbox.ApiServer;

/// <summary>A request path resolved to a resource: `[namespaces/{ns}/]{plural}[/{name}[/{subresource}]]`.</summary>
internal sealed record ResourceRequest(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    public static ResourceRequest? Parse(ResourceRegistry registry, string group, string version, ReadOnlySpan<string> rest)
    {
        if (rest.Length == 0)
        {
            return null;
        }

        if (rest[0] == "namespaces" && rest.Length >= 3 && registry.Find(group, version, rest[2]) is { Namespaced: true } namespacedType)
        {
            return rest.Length > 5
                ? null
                : new ResourceRequest(namespacedType, rest[1], rest.Length > 3 ? rest[3] : null, rest.Length > 4 ? rest[4] : null);
        }

        if (rest.Length > 3 || registry.Find(group, version, rest[0]) is not { } type)
        {
            return null;
        }

        return new ResourceRequest(type, null, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
    }
}
