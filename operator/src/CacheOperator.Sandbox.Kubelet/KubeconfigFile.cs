using System.Text;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// A kubeconfig for the sandbox API server. It carries no credentials: over plain http kubectl and client-go
/// send none, and the sandbox requires none (it listens on loopback only).
/// </summary>
public static class KubeconfigFile
{
    public const string ContextName = "sandbox";

    public static string Render(Uri server, string? ns = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var text = new StringBuilder()
            .Append("apiVersion: v1\n")
            .Append("kind: Config\n")
            .Append("clusters:\n")
            .Append("- name: sandbox\n")
            .Append("  cluster:\n")
            .Append("    server: ").Append(server.GetLeftPart(UriPartial.Authority)).Append('\n')
            .Append("users:\n")
            .Append("- name: sandbox\n")
            .Append("  user: {}\n")
            .Append("contexts:\n")
            .Append("- name: ").Append(ContextName).Append('\n')
            .Append("  context:\n")
            .Append("    cluster: sandbox\n")
            .Append("    user: sandbox\n");
        if (!string.IsNullOrEmpty(ns))
            text.Append("    namespace: ").Append(ns).Append('\n');
        return text.Append("current-context: ").Append(ContextName).Append('\n').ToString();
    }

    public static void Write(string path, Uri server, string? ns = null) =>
        AtomicFile.WriteIfChanged(path, Encoding.UTF8.GetBytes(Render(server, ns)));
}
