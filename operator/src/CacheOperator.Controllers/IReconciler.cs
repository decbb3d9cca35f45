using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Controllers;

/// <summary>
/// Level-based reconcile: given only the key of a <typeparamref name="T"/>, make the world match its spec (the object
/// may be gone: then there is nothing to do, owned objects are garbage-collected). Never runs twice at once for
/// one key. An exception is logged and retried with backoff.
/// </summary>
public interface IReconciler<T> where T : KubernetesObject
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct);
}
