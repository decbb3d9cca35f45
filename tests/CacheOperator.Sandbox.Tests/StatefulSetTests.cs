using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

/// <summary>The whole sandbox in this process (API server, controllers, kubelet), judged by our client and real kubectl.</summary>
public sealed class StatefulSetTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sandbox-sts-").FullName;
    private SandboxServer? _server;
    private KubernetesClient? _client;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxServerOptions
        {
            Port = 0,
            KubeletDirectory = Path.Combine(_dir, "kubelet"),
            Images = ImageResolver.FromRepository(ImageResolver.FindRepositoryRoot(AppContext.BaseDirectory)),
        }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        _client = new KubernetesClient(new KubernetesClientConfiguration { Server = _server.BaseAddress });
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task StatefulSet_GetsReadyOrdinalPods_AndScaleDownRemovesTheHighest()
    {
        var sts = KubernetesJson.Deserialize<StatefulSet>("""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"cache","namespace":"default"},
             "spec":{"replicas":3,"serviceName":"cache","selector":{"matchLabels":{"app":"cache"}},
               "template":{"metadata":{"labels":{"app":"cache"}},"spec":{"terminationGracePeriodSeconds":5,"containers":[{
                 "name":"cache","image":"ghcr.io/cacheoperator/cache-node:0.1.0",
                 "args":["node","-p","11211","-l","$(POD_IP)","--admin-port","11212","-m","16"],
                 "env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
                 "ports":[{"name":"memcached","containerPort":11211},{"name":"admin","containerPort":11212}],
                 "readinessProbe":{"httpGet":{"path":"/readyz","port":"admin"},"periodSeconds":1}}]}}}}
            """)!;
        await _client!.CreateAsync(sts);

        var pods = await WaitForPodsAsync(list => list.Count == 3 && list.All(SandboxFixture.IsReady));
        Assert.Equal(["cache-0", "cache-1", "cache-2"], pods.Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal));
        Assert.Equal(3, pods.Select(p => p.Status!.PodIP).Distinct().Count());
        foreach (var pod in pods)
            Assert.StartsWith("VERSION", await SandboxFixture.MemcachedVersionAsync(pod.Status!.PodIP!), StringComparison.Ordinal);

        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        KubeconfigFile.Write(kubeconfig, _server!.BaseAddress, "default");
        var (code, output, error) = await ToolRunner.RunAsync("kubectl",
            ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(_dir, "kubectl-cache"), "get", "pods", "-o", "wide"]);
        Assert.True(code == 0, error);
        foreach (var pod in pods)
        {
            var line = output.Split('\n').Single(l => l.StartsWith(pod.Metadata.Name + " ", StringComparison.Ordinal));
            Assert.Contains("Running", line, StringComparison.Ordinal);
            Assert.Contains("1/1", line, StringComparison.Ordinal);
            Assert.Contains(pod.Status!.PodIP!, line, StringComparison.Ordinal);
            Assert.Contains("sandbox-node", line, StringComparison.Ordinal);
        }

        var removed = pods.Where(p => p.Metadata.Name != "cache-0").SelectMany(p => _server.Kubelet.ProcessIdsOf(p.Metadata.Uid!)).ToList();
        Assert.Equal(2, removed.Count);
        await _client.PatchAsync<StatefulSet>("default", "cache", PatchType.Merge, """{"spec":{"replicas":1}}""");
        pods = await WaitForPodsAsync(list => list.Count == 1);
        Assert.Equal("cache-0", pods[0].Metadata.Name);
        Assert.All(removed, pid => Assert.False(SandboxFixture.ProcessAlive(pid)));
    }

    private async Task<IList<Pod>> WaitForPodsAsync(Func<IList<Pod>, bool> condition)
    {
        IList<Pod> pods = [];
        for (var i = 0; i < 600; i++)
        {
            pods = (await _client!.ListAsync<Pod>("default")).Items;
            if (condition(pods))
                return pods;
            await Task.Delay(100);
        }

        Assert.Fail("pods never reached the expected state: " + string.Join(", ", pods.Select(p =>
            $"{p.Metadata.Name} {p.Status?.Phase} ready={SandboxFixture.IsReady(p)}")));
        return pods;
    }
}
