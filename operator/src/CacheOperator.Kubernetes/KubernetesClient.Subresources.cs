using System.Globalization;
using System.Net;
using System.Text;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Autoscaling;

namespace CacheOperator.Kubernetes;

/// <summary>Subresources whose body is another kind than the object's own (scale answers an autoscaling/v1 Scale).</summary>
public sealed partial class KubernetesClient
{
    /// <summary>GET of <c>&lt;object&gt;/&lt;subresource&gt;</c> read as <typeparamref name="TResult"/>; null on 404.</summary>
    public async Task<TResult?> GetSubresourceAsync<T, TResult>(string? ns, string name, string subresource, CancellationToken ct = default)
        where T : KubernetesObject where TResult : KubernetesObject
    {
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, RequireNamespace(resource, ns), RequireName(name), subresource);
        using var response = await SendAsync(HttpMethod.Get, path, body: null, contentType: null, idempotent: true,
            HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        return await ReadObjectAsync<TResult>(response, KubernetesResource.Of<TResult>(), ct).ConfigureAwait(false);
    }

    public async Task<TResult> PatchSubresourceAsync<T, TResult>(string? ns, string name, string subresource, PatchType type,
        string patch, CancellationToken ct = default) where T : KubernetesObject where TResult : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(patch);
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, RequireNamespace(resource, ns), RequireName(name), subresource);
        return await WriteAsync<TResult>(HttpMethod.Patch, path, Encoding.UTF8.GetBytes(patch), ContentTypeOf(type),
            KubernetesResource.Of<TResult>(), ct).ConfigureAwait(false);
    }

    public Task<Scale?> GetScaleAsync<T>(string? ns, string name, CancellationToken ct = default) where T : KubernetesObject =>
        GetSubresourceAsync<T, Scale>(ns, name, "scale", ct);

    /// <summary>Sets spec.replicas through the scale subresource, as <c>kubectl scale</c> does.</summary>
    public Task<Scale> ScaleAsync<T>(string? ns, string name, int replicas, CancellationToken ct = default) where T : KubernetesObject =>
        PatchSubresourceAsync<T, Scale>(ns, name, "scale", PatchType.Merge,
            "{\"spec\":{\"replicas\":" + replicas.ToString(CultureInfo.InvariantCulture) + "}}", ct);
}
