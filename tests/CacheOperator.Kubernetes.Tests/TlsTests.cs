using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Kubernetes.Tests;

public sealed class TlsTests
{
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Ca = TestCertificates.CreateCa("test-ca");

    private static KubernetesClientConfiguration Config(Uri server) => new()
    {
        Server = server,
        MaxRetries = 0,
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task Https_ServerSignedByTheConfiguredCa_IsTrusted_AndTheBearerTokenIsSent()
    {
        await using var server = await FakeApiServer.StartAsync(TestCertificates.IssueServer(Ca));
        var config = Config(server.Url);
        config.CaCertificates.Add(Ca);
        config.BearerToken = "secret-token";
        using var client = new KubernetesClient(config);

        Assert.Null(await client.GetAsync<Pod>("a", "b"));

        Assert.Equal("https", server.Url.Scheme);
        Assert.Equal("Bearer secret-token", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task Https_ServerSignedByAnotherCa_IsRefused_BeforeAnyRequest()
    {
        await using var server = await FakeApiServer.StartAsync(TestCertificates.IssueServer(Ca));
        var config = Config(server.Url);
        config.CaCertificates.Add(TestCertificates.CreateCa("other-ca"));
        config.BearerToken = "secret-token";
        using var client = new KubernetesClient(config);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<Pod>("a", "b"));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Https_InsecureSkipTlsVerify_AcceptsAnyServer()
    {
        await using var server = await FakeApiServer.StartAsync(TestCertificates.IssueServer(Ca));
        var config = Config(server.Url);
        config.InsecureSkipTlsVerify = true;
        using var client = new KubernetesClient(config);

        Assert.Null(await client.GetAsync<Pod>("a", "b"));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Https_ClientCertificateFromKubeconfig_IsPresented()
    {
        await using var server = await FakeApiServer.StartAsync(TestCertificates.IssueServer(Ca), requireClientCertificate: true);
        var user = TestCertificates.IssueClient(Ca, "operator-user");
        using var dir = new TempDirectory();
        dir.Write("ca.pem", TestCertificates.CertificatePem(Ca));
        dir.Write("user.crt", TestCertificates.CertificatePem(user));
        dir.Write("user.key", TestCertificates.KeyPem(user));
        string path = dir.Write("config", $"""
            current-context: x
            clusters:
            - name: c
              cluster:
                server: "{server.Url}"
                certificate-authority: ca.pem
            users:
            - name: u
              user:
                client-certificate: user.crt
                client-key: user.key
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            """);
        var config = KubernetesClientConfiguration.FromKubeconfig(path);
        config.MaxRetries = 0;
        using var client = new KubernetesClient(config);

        Assert.Null(await client.GetAsync<Pod>("a", "b"));

        Assert.Equal("CN=operator-user", server.LastClientCertificate?.Subject);
    }
}
