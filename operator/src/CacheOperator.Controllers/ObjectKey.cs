using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Controllers;

/// <summary>Names an object: what the work queue holds and a reconcile is asked about. Namespace is null for
/// cluster-scoped kinds. Written "ns/name" (or "name"), as client-go's keys.</summary>
public readonly record struct ObjectKey(string? Namespace, string Name) : IComparable<ObjectKey>
{
    public static ObjectKey Of(KubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(string.IsNullOrEmpty(obj.Metadata.Namespace) ? null : obj.Metadata.Namespace,
            obj.Metadata.Name ?? throw new ArgumentException("the object has no name", nameof(obj)));
    }

    public static ObjectKey Parse(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new ObjectKey(null, key) : new ObjectKey(key[..slash], key[(slash + 1)..]);
    }

    public int CompareTo(ObjectKey other)
    {
        int byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";

    public static bool operator <(ObjectKey left, ObjectKey right) => left.CompareTo(right) < 0;
    public static bool operator >(ObjectKey left, ObjectKey right) => left.CompareTo(right) > 0;
    public static bool operator <=(ObjectKey left, ObjectKey right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ObjectKey left, ObjectKey right) => left.CompareTo(right) >= 0;
}
