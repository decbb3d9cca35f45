using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes;

/// <summary>
/// <see cref="IKubernetesClient"/> over HTTP(S). Thread-safe; one instance per process is enough.
/// Retries are described on <see cref="KubernetesClient"/>'s SendAsync (KubernetesClient.Http.cs).
/// </summary>
public sealed partial class KubernetesClient : IKubernetesClient, IDisposable
{
    private readonly KubernetesClientConfiguration _config;
    private readonly HttpClient _http;
    private readonly BearerTokenSource _token;
    private readonly string _serverPrefix;

    public KubernetesClient(KubernetesClientConfiguration config)
        : this(config, CreateHandler(config))
    {
    }

    /// <summary>With a caller's handler (tests, or a handler chain); TLS settings of the configuration are then
    /// the handler's business.</summary>
    public KubernetesClient(KubernetesClientConfiguration config, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(handler);
        _config = config;
        _token = new BearerTokenSource(config);
        // Timeouts are per request (see SendAsync): a watch must outlive any fixed client-wide timeout.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", config.UserAgent);
        // Paths are appended, not resolved: a server URL with a path (a proxy's /k8s/clusters/c-1) keeps it.
        _serverPrefix = config.Server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public KubernetesClientConfiguration Configuration => _config;

    public void Dispose() => _http.Dispose();

    public async Task<T?> GetAsync<T>(string? ns, string name, CancellationToken ct = default) where T : KubernetesObject
    {
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, RequireNamespace(resource, ns), RequireName(name));
        using var response = await SendAsync(HttpMethod.Get, path, body: null, contentType: null, idempotent: true,
            HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        return await ReadObjectAsync<T>(response, resource, ct).ConfigureAwait(false);
    }

    public async Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken ct = default)
        where T : KubernetesObject
    {
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, ns) + ResourcePath.Query(options, watch: false);
        using var response = await SendAsync(HttpMethod.Get, path, body: null, contentType: null, idempotent: true,
            HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, ct).ConfigureAwait(false);
        var list = await ReadJsonAsync<KubernetesList<T>>(response, ct).ConfigureAwait(false);
        // The server omits apiVersion and kind on the items of a built-in list; fill them so an item is
        // self-describing (owner references, logs) like an object read alone.
        foreach (var item in list.Items)
            FillTypeMeta(item, resource);
        return list;
    }

    public async Task<T> CreateAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, NamespaceOf(resource, obj));
        byte[] body = Body(obj, resource);
        return await WriteAsync<T>(HttpMethod.Post, path, body, "application/json", resource, ct).ConfigureAwait(false);
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject =>
        PutAsync(obj, subresource: null, ct);

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken ct = default) where T : KubernetesObject =>
        PutAsync(obj, subresource: "status", ct);

    public async Task<T?> DeleteAsync<T>(string? ns, string name, DeleteOptions? options = null, CancellationToken ct = default)
        where T : KubernetesObject
    {
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, RequireNamespace(resource, ns), RequireName(name));
        byte[] body = DeleteBody(options);
        using var response = await SendAsync(HttpMethod.Delete, path, body, "application/json", idempotent: false,
            HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, ct).ConfigureAwait(false);
        // 200/202 carry the object while it lingers (finalizers, graceful deletion), a Status once it is gone.
        byte[] answer = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (answer.Length == 0)
            return null;
        using (var doc = JsonDocument.Parse(answer))
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || (doc.RootElement.TryGetProperty("kind", out var kind) && kind.ValueEquals("Status")))
                return null;
        }
        return Typed<T>(answer, resource);
    }

    public async Task<T> PatchAsync<T>(string? ns, string name, PatchType type, string patch, string? subresource = null,
        CancellationToken ct = default) where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(patch);
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, RequireNamespace(resource, ns), RequireName(name), subresource);
        return await WriteAsync<T>(HttpMethod.Patch, path, Encoding.UTF8.GetBytes(patch), ContentTypeOf(type), resource, ct)
            .ConfigureAwait(false);
    }

    public async Task<T> ApplyAsync<T>(T obj, ApplyOptions options, string? subresource = null, CancellationToken ct = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.FieldManager))
            throw new ArgumentException("Server-side apply needs a field manager.", nameof(options));
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, NamespaceOf(resource, obj), RequireName(obj.Metadata.Name), subresource)
            + new QueryBuilder().Add("fieldManager", options.FieldManager).Add("force", options.Force ? "true" : "false");
        // managedFields in an apply body is rejected by the server; an object read back and re-applied has them.
        byte[] body = Body(obj, resource, stripManagedFields: true);
        // JSON is YAML, so the JSON body goes out under the apply content type.
        return await WriteAsync<T>(HttpMethod.Patch, path, body, "application/apply-patch+yaml", resource, ct).ConfigureAwait(false);
    }

    private async Task<T> PutAsync<T>(T obj, string? subresource, CancellationToken ct) where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, NamespaceOf(resource, obj), RequireName(obj.Metadata.Name), subresource);
        return await WriteAsync<T>(HttpMethod.Put, path, Body(obj, resource), "application/json", resource, ct).ConfigureAwait(false);
    }

    private async Task<T> WriteAsync<T>(HttpMethod method, string path, byte[] body, string contentType,
        KubernetesResourceAttribute resource, CancellationToken ct) where T : KubernetesObject
    {
        using var response = await SendAsync(method, path, body, contentType, idempotent: false,
            HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        return await ReadObjectAsync<T>(response, resource, ct).ConfigureAwait(false);
    }

    public static string ContentTypeOf(PatchType type) => type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The object as JSON with apiVersion and kind filled from the type when empty; the caller's object
    /// is not changed (it may be shared, e.g. an informer's cached copy).</summary>
    private static byte[] Body<T>(T obj, KubernetesResourceAttribute resource, bool stripManagedFields = false)
        where T : KubernetesObject
    {
        var node = JsonSerializer.SerializeToNode(obj, obj.GetType(), KubernetesJson.Options)!.AsObject();
        if (string.IsNullOrEmpty(obj.ApiVersion))
            node["apiVersion"] = resource.ApiVersion;
        if (string.IsNullOrEmpty(obj.Kind))
            node["kind"] = resource.Kind;
        if (stripManagedFields && node["metadata"] is JsonObject metadata)
            metadata.Remove("managedFields");
        return JsonSerializer.SerializeToUtf8Bytes(node, KubernetesJson.Options);
    }

    internal static byte[] DeleteBody(DeleteOptions? options)
    {
        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1" };
        if (options?.PropagationPolicy is { } policy)
            body["propagationPolicy"] = policy;
        if (options?.GracePeriodSeconds is { } grace)
            body["gracePeriodSeconds"] = grace;
        if (options?.PreconditionUid is not null || options?.PreconditionResourceVersion is not null)
        {
            var preconditions = new JsonObject();
            if (options.PreconditionUid is { } uid)
                preconditions["uid"] = uid;
            if (options.PreconditionResourceVersion is { } rv)
                preconditions["resourceVersion"] = rv;
            body["preconditions"] = preconditions;
        }
        return JsonSerializer.SerializeToUtf8Bytes(body, KubernetesJson.Options);
    }

    private string? NamespaceOf(KubernetesResourceAttribute resource, KubernetesObject obj) =>
        !resource.Namespaced ? null
        : string.IsNullOrEmpty(obj.Metadata.Namespace) ? _config.Namespace
        : obj.Metadata.Namespace;

    private static string? RequireNamespace(KubernetesResourceAttribute resource, string? ns)
    {
        if (resource.Namespaced && string.IsNullOrEmpty(ns))
            throw new ArgumentException($"{resource.Kind} is namespaced: name the namespace.", nameof(ns));
        return ns;
    }

    private static string RequireName(string? name) =>
        string.IsNullOrEmpty(name) ? throw new ArgumentException("The object needs a name.", nameof(name)) : name;

    private static void FillTypeMeta(KubernetesObject obj, KubernetesResourceAttribute resource)
    {
        if (string.IsNullOrEmpty(obj.ApiVersion))
            obj.ApiVersion = resource.ApiVersion;
        if (string.IsNullOrEmpty(obj.Kind))
            obj.Kind = resource.Kind;
    }

    private static T Typed<T>(ReadOnlySpan<byte> json, KubernetesResourceAttribute resource) where T : KubernetesObject
    {
        var obj = JsonSerializer.Deserialize<T>(json, KubernetesJson.Options)
            ?? throw new JsonException("The server answered null.");
        FillTypeMeta(obj, resource);
        return obj;
    }

    private static SocketsHttpHandler CreateHandler(KubernetesClientConfiguration config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        };
        if (config.ClientCertificate is { } clientCertificate)
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { clientCertificate };
        if (config.InsecureSkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (config.CaCertificates.Count > 0)
        {
            // Trust exactly the configured roots (not the system store), as kubectl does with a CA; the host
            // name is still checked against the certificate.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(config.CaCertificates);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        return handler;
    }
}
