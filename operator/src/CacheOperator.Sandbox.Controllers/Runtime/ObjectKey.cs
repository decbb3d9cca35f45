using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Sandbox.Controllers.Runtime;

/// <summary>"namespace/name" (or "name" for cluster-scoped objects), the key work queues carry.</summary>
internal static class ObjectKey
{
    public static string Of(KubernetesObject obj) => Of(obj.Metadata.Namespace, obj.Metadata.Name ?? "");

    public static string Of(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    public static (string? Namespace, string Name) Split(string key)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
