using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes;

/// <summary>
/// The narrow interface the operator, the sandbox controllers and the kubelet use. Paths come from the type's
/// <see cref="KubernetesResourceAttribute"/>; <c>ns</c> is null for cluster-scoped kinds and, in List/Watch,
/// for "all namespaces". KubernetesClient (HTTP) implements it; the official client could replace it.
/// Errors are <see cref="KubernetesApiException"/> with the server's Status.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>The object, or null when it does not exist (404).</summary>
    Task<T?> GetAsync<T>(string? ns, string name, CancellationToken ct = default) where T : KubernetesObject;

    /// <summary>One page; follow Metadata.Continue for more.</summary>
    Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken ct = default)
        where T : KubernetesObject;

    /// <summary>
    /// One watch request: yields events until the server ends the stream (normal; re-watch from the last
    /// resourceVersion seen) or the token is cancelled. An ERROR event (410 Expired) throws.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, ListOptions options, CancellationToken ct = default)
        where T : KubernetesObject;

    Task<T> CreateAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject;

    /// <summary>PUT with the object's resourceVersion: optimistic concurrency, 409 when stale.</summary>
    Task<T> ReplaceAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject;

    /// <summary>PUT to the status subresource.</summary>
    Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject;

    /// <summary>
    /// Deletes; returns the object when the server still holds it (finalizers pending, graceful pod delete),
    /// null when it is gone or was already absent.
    /// </summary>
    Task<T?> DeleteAsync<T>(string? ns, string name, DeleteOptions? options = null, CancellationToken ct = default)
        where T : KubernetesObject;

    /// <summary>Patch with a JSON body; <paramref name="subresource"/> is e.g. "status" or "scale".</summary>
    Task<T> PatchAsync<T>(string? ns, string name, PatchType type, string patch, string? subresource = null,
        CancellationToken ct = default) where T : KubernetesObject;

    /// <summary>Server-side apply of the fields set in <paramref name="obj"/> (creates when absent).</summary>
    Task<T> ApplyAsync<T>(T obj, ApplyOptions options, string? subresource = null, CancellationToken ct = default)
        where T : KubernetesObject;
}
