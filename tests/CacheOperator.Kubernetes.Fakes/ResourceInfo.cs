using System.Collections.Concurrent;

namespace CacheOperator.Kubernetes.Fakes;

/// <summary>What the store needs to know about a typed kind, read once from its attribute.</summary>
internal sealed record ResourceInfo(KubernetesResourceAttribute Attribute)
{
    private static readonly ConcurrentDictionary<Type, ResourceInfo> Cache = new();

    /// <summary>Kinds with no status subresource: their main endpoint writes every field.</summary>
    private static readonly HashSet<string> KindsWithoutStatus =
        ["ConfigMap", "Secret", "ServiceAccount", "Event", "Lease", "Namespace"];

    /// <summary>The store's key for the resource: "group/plural".</summary>
    public string Key => $"{Attribute.Group}/{Attribute.Plural}";

    public string Plural => Attribute.Plural;
    public string Kind => Attribute.Kind;
    public bool Namespaced => Attribute.Namespaced;
    public bool HasStatus => !KindsWithoutStatus.Contains(Attribute.Kind);

    /// <summary>Custom resources are stricter (no unconditional PUT, no strategic merge).</summary>
    public bool IsCustom => Attribute.Group.Contains('.', StringComparison.Ordinal)
        && !Attribute.Group.EndsWith(".k8s.io", StringComparison.Ordinal);

    /// <summary>"pods" or "cacheclusters.cacheoperator.io", as error messages name a resource.</summary>
    public string QualifiedName => Attribute.Group.Length == 0 ? Plural : $"{Plural}.{Attribute.Group}";

    public static ResourceInfo For<T>() => For(typeof(T));

    public static ResourceInfo For(Type type) => Cache.GetOrAdd(type, static t => new ResourceInfo(KubernetesResource.Of(t)));
}
