using System.Text;
using CacheOperator.Kubernetes.Configuration;

namespace CacheOperator.Kubernetes.Tests;

public sealed class KubeconfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void CurrentContext_GivesServerTokenAndNamespace()
    {
        string path = _dir.Write("config", """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: c1
              cluster:
                server: https://10.0.0.1:6443
                insecure-skip-tls-verify: true
            users:
            - name: u1
              user:
                token: abc
            contexts:
            - name: dev
              context: {cluster: c1, user: u1, namespace: team-a}
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(path);

        Assert.Equal(new Uri("https://10.0.0.1:6443"), config.Server);
        Assert.Equal("abc", config.BearerToken);
        Assert.Equal("team-a", config.Namespace);
        Assert.True(config.InsecureSkipTlsVerify);
    }

    [Fact]
    public void ContextWithoutNamespace_UsesDefault_AndNoUserMeansNoCredentials()
    {
        string path = _dir.Write("config", """
            current-context: x
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:8001"}}]
            contexts: [{name: x, context: {cluster: c}}]
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(path);

        Assert.Equal("default", config.Namespace);
        Assert.Null(config.BearerToken);
        Assert.Null(config.TokenFile);
    }

    [Fact]
    public void SeveralFiles_FirstToSetAKeyWins()
    {
        string first = _dir.Write("a/config", """
            current-context: one
            clusters:
            - name: shared
              cluster: {server: "https://first:6443"}
            contexts:
            - name: one
              context: {cluster: shared, user: only-in-second}
            """);
        string second = _dir.Write("b/config", """
            current-context: two
            clusters:
            - name: shared
              cluster: {server: "https://second:6443"}
            users:
            - name: only-in-second
              user: {token: from-second}
            contexts:
            - name: two
              context: {cluster: shared}
            """);
        string missing = Path.Combine(_dir.Path, "nope", "config");

        var config = KubernetesClientConfiguration.FromKubeconfig($"{missing}:{first}:{second}");

        Assert.Equal("first", config.Server.Host);
        Assert.Equal("from-second", config.BearerToken);
    }

    [Fact]
    public void ContextOverride_WinsOverCurrentContext()
    {
        string path = _dir.Write("config", """
            current-context: one
            clusters:
            - {name: c1, cluster: {server: "https://one:6443"}}
            - {name: c2, cluster: {server: "https://two:6443"}}
            contexts:
            - {name: one, context: {cluster: c1}}
            - {name: two, context: {cluster: c2, namespace: ns2}}
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(path, context: "two");

        Assert.Equal(("two", "ns2"), (config.Server.Host, config.Namespace));
    }

    [Fact]
    public void RelativePaths_ResolveAgainstTheFolderOfTheFileThatNamesThem()
    {
        var ca = TestCertificates.CreateCa("test-ca");
        _dir.Write("kube/certs/ca.pem", TestCertificates.CertificatePem(ca));
        string tokenFile = _dir.Write("kube/secrets/token", "from-file\n");
        string path = _dir.Write("kube/config", """
            current-context: x
            clusters: [{name: c, cluster: {server: "https://h:1", certificate-authority: certs/ca.pem}}]
            users: [{name: u, user: {tokenFile: secrets/token}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(path);

        Assert.Equal(ca.Thumbprint, Assert.Single(config.CaCertificates).Thumbprint);
        Assert.Equal(tokenFile, config.TokenFile);
    }

    [Fact]
    public void ClientCertificateData_IsLoadedWithItsKey()
    {
        var ca = TestCertificates.CreateCa("test-ca");
        var client = TestCertificates.IssueClient(ca, "alice");
        string path = _dir.Write("config", $$"""
            current-context: x
            clusters:
            - name: c
              cluster:
                server: "https://h:1"
                certificate-authority-data: {{B64(TestCertificates.CertificatePem(ca))}}
            users:
            - name: u
              user:
                client-certificate-data: {{B64(TestCertificates.CertificatePem(client))}}
                client-key-data: {{B64(TestCertificates.KeyPem(client))}}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(path);

        Assert.Equal(ca.Thumbprint, Assert.Single(config.CaCertificates).Thumbprint);
        Assert.Equal(client.Thumbprint, config.ClientCertificate!.Thumbprint);
        Assert.True(config.ClientCertificate.HasPrivateKey);
    }

    [Fact]
    public void ExecPlugin_IsAClearError()
    {
        string path = _dir.Write("config", """
            current-context: x
            clusters: [{name: c, cluster: {server: "https://h:1"}}]
            users: [{name: eks, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}}}]
            contexts: [{name: x, context: {cluster: c, user: eks}}]
            """);

        var error = Assert.Throws<NotSupportedException>(() => KubernetesClientConfiguration.FromKubeconfig(path));

        Assert.Contains("exec", error.Message, StringComparison.Ordinal);
        Assert.Contains("eks", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clusters: [{name: c, cluster: {server: 'https://h:1'}}]\ncontexts: [{name: x, context: {cluster: c}}]", "current-context")]
    [InlineData("current-context: y\ncontexts: [{name: x, context: {cluster: c}}]", "'y'")]
    [InlineData("current-context: x\ncontexts: [{name: x, context: {cluster: c}}]", "cluster named 'c'")]
    public void IncompleteConfig_SaysWhatIsMissing(string yaml, string expected)
    {
        string path = _dir.Write("config", yaml);

        var error = Assert.Throws<InvalidOperationException>(() => KubernetesClientConfiguration.FromKubeconfig(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsAnError()
    {
        Assert.Throws<FileNotFoundException>(() => KubernetesClientConfiguration.FromKubeconfig(Path.Combine(_dir.Path, "none")));
    }
}
