using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>
/// Where the reconciler reads owned objects and pods: the informer caches in the operator, the API itself in
/// tests and tools. Reads return copies the caller may change.
/// </summary>
public interface IWorldReader
{
    Task<T?> GetAsync<T>(string ns, string name, CancellationToken ct) where T : KubernetesObject;

    /// <summary>Objects in a namespace whose labels include every pair of <paramref name="labels"/>.</summary>
    Task<IReadOnlyList<T>> ListAsync<T>(string ns, IReadOnlyDictionary<string, string> labels, CancellationToken ct)
        where T : KubernetesObject;
}
