using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CacheOperator.Kubernetes.Configuration;

/// <summary>
/// Reads kubeconfig files as kubectl does: several files merge with the first file to set a key winning
/// (current-context, and each cluster, user and context by name); relative paths resolve against the folder
/// of the file that names them. Exec and auth-provider plugins are refused with a clear error.
/// </summary>
internal static class KubeconfigLoader
{
    private sealed record Entry(YamlMappingNode Node, string Directory);

    public static KubernetesClientConfiguration Load(string paths, string? contextOverride)
    {
        string[] files = paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (files.Length == 0)
            throw new InvalidOperationException("No kubeconfig file given.");
        // As kubectl: missing files in a list are skipped; a list with none present is an error.
        string[] present = files.Length == 1 ? files : [.. files.Where(File.Exists)];
        if (present.Length == 0 || !File.Exists(present[0]))
            throw new FileNotFoundException($"kubeconfig not found: {string.Join(Path.PathSeparator, files)}");

        string? currentContext = null;
        var clusters = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var users = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (string file in present)
        {
            var root = Parse(file);
            if (root is null)
                continue;
            string directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
            currentContext ??= Scalar(root, "current-context");
            AddNamed(root, "clusters", "cluster", directory, clusters, file);
            AddNamed(root, "users", "user", directory, users, file);
            AddNamed(root, "contexts", "context", directory, contexts, file);
        }

        string contextName = contextOverride ?? currentContext
            ?? throw new InvalidOperationException("kubeconfig has no current-context and no context was given.");
        var context = contexts.GetValueOrDefault(contextName)
            ?? throw new InvalidOperationException($"kubeconfig has no context named '{contextName}'.");
        string clusterName = Scalar(context.Node, "cluster")
            ?? throw new InvalidOperationException($"kubeconfig context '{contextName}' names no cluster.");
        var cluster = clusters.GetValueOrDefault(clusterName)
            ?? throw new InvalidOperationException($"kubeconfig has no cluster named '{clusterName}' (context '{contextName}').");
        string server = Scalar(cluster.Node, "server")
            ?? throw new InvalidOperationException($"kubeconfig cluster '{clusterName}' has no server.");

        var config = new KubernetesClientConfiguration
        {
            Server = new Uri(server),
            InsecureSkipTlsVerify = Scalar(cluster.Node, "insecure-skip-tls-verify") is "true",
            Namespace = Scalar(context.Node, "namespace") ?? "default",
        };
        if (ReadPem(cluster, "certificate-authority") is { } caPem)
            config.CaCertificates.ImportFromPem(caPem);

        if (Scalar(context.Node, "user") is { } userName)
        {
            var user = users.GetValueOrDefault(userName)
                ?? throw new InvalidOperationException($"kubeconfig has no user named '{userName}' (context '{contextName}').");
            ApplyUser(config, userName, user);
        }
        return config;
    }

    private static void ApplyUser(KubernetesClientConfiguration config, string userName, Entry user)
    {
        if (user.Node.Children.ContainsKey(new YamlScalarNode("exec")))
            throw new NotSupportedException(
                $"kubeconfig user '{userName}' uses an exec credential plugin, which this client does not support; " +
                "use a token, tokenFile or client certificate.");
        if (user.Node.Children.ContainsKey(new YamlScalarNode("auth-provider")))
            throw new NotSupportedException(
                $"kubeconfig user '{userName}' uses an auth-provider plugin, which this client does not support; " +
                "use a token, tokenFile or client certificate.");

        config.BearerToken = Scalar(user.Node, "token");
        if (Scalar(user.Node, "tokenFile") is { } tokenFile)
            config.TokenFile = Resolve(tokenFile, user.Directory);

        string? certPem = ReadPem(user, "client-certificate");
        string? keyPem = ReadPem(user, "client-key");
        if (certPem is not null && keyPem is not null)
            config.ClientCertificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        else if (certPem is not null || keyPem is not null)
            throw new InvalidOperationException(
                $"kubeconfig user '{userName}' has a client certificate or key without the other.");
    }

    /// <summary>The PEM text of "<paramref name="key"/>-data" (base64) or of the file "<paramref name="key"/>".</summary>
    private static string? ReadPem(Entry entry, string key)
    {
        if (Scalar(entry.Node, key + "-data") is { } data)
            return Encoding.UTF8.GetString(Convert.FromBase64String(data));
        if (Scalar(entry.Node, key) is { } file)
            return File.ReadAllText(Resolve(file, entry.Directory));
        return null;
    }

    private static string Resolve(string path, string directory) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

    private static YamlMappingNode? Parse(string file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidOperationException($"kubeconfig {file} is not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0)
            return null;
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new InvalidOperationException($"kubeconfig {file} is not a YAML mapping.");
    }

    /// <summary>Adds each "name" + "<paramref name="field"/>" item of the list, unless an earlier file named it.</summary>
    private static void AddNamed(YamlMappingNode root, string list, string field, string directory,
        Dictionary<string, Entry> into, string file)
    {
        if (Child(root, list) is not YamlSequenceNode items)
            return;
        foreach (var item in items)
        {
            if (item is not YamlMappingNode named || Scalar(named, "name") is not { } name)
                throw new InvalidOperationException($"kubeconfig {file}: an entry of '{list}' has no name.");
            if (Child(named, field) is YamlMappingNode body)
                into.TryAdd(name, new Entry(body, directory));
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>A scalar's text; null when absent, empty or a YAML null.</summary>
    private static string? Scalar(YamlMappingNode map, string key)
    {
        if (Child(map, key) is not YamlScalarNode { Value: { Length: > 0 } text } node)
            return null;
        bool plainNull = node.Style is ScalarStyle.Plain or ScalarStyle.Any && text is "null" or "~" or "Null" or "NULL";
        return plainNull ? null : text;
    }
}
