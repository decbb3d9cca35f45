using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Kubernetes.Tests;

public sealed class InClusterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> Env(string host, string port) => name => name switch
    {
        "KUBERNETES_SERVICE_HOST" => host,
        "KUBERNETES_SERVICE_PORT" => port,
        _ => null,
    };

    [Fact]
    public void InCluster_ReadsServiceAddressTokenCaAndNamespace()
    {
        var ca = TestCertificates.CreateCa("cluster-ca");
        _dir.Write("token", "tok-1");
        _dir.Write("ca.crt", TestCertificates.CertificatePem(ca));
        _dir.Write("namespace", "cache-system\n");

        var config = KubernetesClientConfiguration.InCluster(_dir.Path, Env("10.96.0.1", "443"));

        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal(Path.Combine(_dir.Path, "token"), config.TokenFile);
        Assert.Equal(ca.Thumbprint, Assert.Single(config.CaCertificates).Thumbprint);
        Assert.Equal("cache-system", config.Namespace);
    }

    [Fact]
    public void InCluster_Ipv6ServiceAddress_IsBracketed()
    {
        _dir.Write("token", "t");

        var config = KubernetesClientConfiguration.InCluster(_dir.Path, Env("fd00::1", "6443"));

        Assert.Equal("[fd00::1]", config.Server.Host);
        Assert.Equal(6443, config.Server.Port);
    }

    [Fact]
    public void InCluster_OutsideACluster_IsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KubernetesClientConfiguration.InCluster(_dir.Path, _ => null));

        Assert.Contains("KUBERNETES_SERVICE_HOST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenFile_IsReReadOnlyAfterTheRefreshInterval()
    {
        string file = _dir.Write("token", "old");
        var time = new ManualTimeProvider();
        var source = new BearerTokenSource(new KubernetesClientConfiguration
        {
            Server = new Uri("https://h"),
            TokenFile = file,
            TokenRefreshInterval = TimeSpan.FromMinutes(1),
        }, time);

        Assert.Equal("old", source.Current());
        File.WriteAllText(file, "new");
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("old", source.Current());
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("new", source.Current());
    }

    [Fact]
    public void TokenFile_VanishingBriefly_KeepsTheLastToken()
    {
        string file = _dir.Write("token", "old");
        var time = new ManualTimeProvider();
        var source = new BearerTokenSource(new KubernetesClientConfiguration
        {
            Server = new Uri("https://h"),
            TokenFile = file,
        }, time);
        Assert.Equal("old", source.Current());

        File.Delete(file);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("old", source.Current());
    }

    [Fact]
    public async Task Client_SendsTheRotatedToken()
    {
        await using var server = await FakeApiServer.StartAsync();
        string file = _dir.Write("token", "first");
        using var client = new KubernetesClient(new KubernetesClientConfiguration
        {
            Server = server.Url,
            TokenFile = file,
            TokenRefreshInterval = TimeSpan.Zero,
        });

        await client.GetAsync<Pod>("a", "b");
        File.WriteAllText(file, "second\n");
        await client.GetAsync<Pod>("a", "b");

        Assert.Equal(["Bearer first", "Bearer second"], server.Requests.Select(r => r.Authorization));
    }
}
