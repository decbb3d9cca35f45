using System.Security.Cryptography.X509Certificates;

namespace CacheOperator.Kubernetes.Configuration;

/// <summary>
/// Where the API server is and how to authenticate to it, plus the client's timeouts and retry budget.
/// Build one by hand (tests, the sandbox) or with <see cref="InCluster"/>, <see cref="FromKubeconfig"/> or
/// <see cref="Default"/>.
/// </summary>
public sealed class KubernetesClientConfiguration
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public required Uri Server { get; set; }

    /// <summary>Roots trusted for the server's certificate; empty = the system's trust store.</summary>
    public X509Certificate2Collection CaCertificates { get; } = [];

    /// <summary>A certificate with its private key, presented for client-certificate authentication.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>A fixed bearer token. <see cref="TokenFile"/> wins when both are set.</summary>
    public string? BearerToken { get; set; }

    /// <summary>A file holding the bearer token, re-read every <see cref="TokenRefreshInterval"/> (projected
    /// service-account tokens rotate underneath a running process).</summary>
    public string? TokenFile { get; set; }

    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool InsecureSkipTlsVerify { get; set; }

    /// <summary>The namespace of the context (or of the pod in cluster); used when an object names none.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>Per request, until the whole answer is read (for a watch: until its headers arrive).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for failures that are safe to retry (see KubernetesClient).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff; doubles per retry, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap of a backoff and of a server's Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    public string UserAgent { get; set; } = "cache-operator";

    /// <summary>
    /// The pod's service account: KUBERNETES_SERVICE_HOST/PORT and token, ca.crt, namespace from
    /// <paramref name="serviceAccountDirectory"/>. <paramref name="environment"/> replaces the process
    /// environment (tests).
    /// </summary>
    public static KubernetesClientConfiguration InCluster(
        string serviceAccountDirectory = DefaultServiceAccountDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string host = environment("KUBERNETES_SERVICE_HOST") is { Length: > 0 } h ? h
            : throw new InvalidOperationException("Not running in a cluster: KUBERNETES_SERVICE_HOST is not set.");
        string port = environment("KUBERNETES_SERVICE_PORT") is { Length: > 0 } p ? p
            : throw new InvalidOperationException("Not running in a cluster: KUBERNETES_SERVICE_PORT is not set.");
        string tokenFile = Path.Combine(serviceAccountDirectory, "token");
        if (!File.Exists(tokenFile))
            throw new InvalidOperationException($"Not running in a cluster: {tokenFile} does not exist.");

        var config = new KubernetesClientConfiguration
        {
            // An IPv6 service address needs brackets in a URI.
            Server = new Uri($"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}"),
            TokenFile = tokenFile,
        };
        string ca = Path.Combine(serviceAccountDirectory, "ca.crt");
        if (File.Exists(ca))
            config.CaCertificates.ImportFromPemFile(ca);
        string ns = Path.Combine(serviceAccountDirectory, "namespace");
        if (File.Exists(ns) && File.ReadAllText(ns).Trim() is { Length: > 0 } podNamespace)
            config.Namespace = podNamespace;
        return config;
    }

    /// <summary>
    /// Reads kubeconfig files: <paramref name="paths"/> (several separated by ':'), else KUBECONFIG, else
    /// ~/.kube/config. <paramref name="context"/> overrides current-context.
    /// </summary>
    public static KubernetesClientConfiguration FromKubeconfig(string? paths = null, string? context = null) =>
        KubeconfigLoader.Load(paths ?? DefaultKubeconfigPaths(), context);

    /// <summary>kubeconfig when KUBECONFIG is set or ~/.kube/config exists, else the in-cluster service account.</summary>
    public static KubernetesClientConfiguration Default()
    {
        string paths = DefaultKubeconfigPaths();
        bool anyFile = paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(File.Exists);
        return anyFile ? KubeconfigLoader.Load(paths, null) : InCluster();
    }

    private static string DefaultKubeconfigPaths() =>
        Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
}
