using System.Collections.Concurrent;
using System.Reflection;

namespace CacheOperator.Kubernetes;

/// <summary>Looks up (once per type) the <see cref="KubernetesResourceAttribute"/> a typed object carries.</summary>
public static class KubernetesResource
{
    private static readonly ConcurrentDictionary<Type, KubernetesResourceAttribute> Cache = new();

    public static KubernetesResourceAttribute Of<T>() => Of(typeof(T));

    public static KubernetesResourceAttribute Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Cache.GetOrAdd(type, static t => t.GetCustomAttribute<KubernetesResourceAttribute>(inherit: false)
            ?? throw new InvalidOperationException(
                $"{t.FullName} has no [KubernetesResource] attribute: the client cannot tell its REST path."));
    }
}
