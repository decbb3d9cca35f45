using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Ring;
using CacheOperator.Sandbox.ApiServer;
using CacheOperator.Sandbox.Controllers;
using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Reconciler.Tests.EndToEnd;

/// <summary>
/// The whole product on this machine: the sandbox API server, its StatefulSet/Deployment controllers and the
/// process kubelet running real cache-node processes, and the cache-operator process. The minimal example
/// becomes Ready, and a value set through a router comes back.
/// </summary>
public sealed class SandboxEndToEndTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "reconciler-sandbox-" + Guid.NewGuid().ToString("N"));
    private SandboxApiServer _api = null!;
    private KubernetesClient _client = null!;
    private SandboxControllers _controllers = null!;
    private SandboxKubelet _kubelet = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _api = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { GarbageCollectionInterval = TimeSpan.FromMilliseconds(200) });
        _kubeconfig = Path.Combine(_folder, "kubeconfig");
        _api.WriteKubeconfig(_kubeconfig);
        _client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(_kubeconfig));
        _controllers = await SandboxControllers.StartAsync(_client, new SandboxControllersOptions());
        _kubelet = new SandboxKubelet(_client, new KubeletOptions
        {
            StateDirectory = Path.Combine(_folder, "kubelet"),
            ApiServer = _api.BaseAddress,
            Images = new ImageResolver(new Dictionary<string, LaunchTarget>
            {
                ["cache-node"] = LaunchTarget.FromPath(Path.Combine(AppContext.BaseDirectory, "cache-node.dll")),
            }),
        });
        await _kubelet.StartAsync();
    }

    public async Task DisposeAsync()
    {
        // The kubelet stops (and kills) every pod process it started.
        await _kubelet.DisposeAsync();
        await _controllers.DisposeAsync();
        _client.Dispose();
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task MinimalExample_BecomesReady_AndServesThroughARouter()
    {
        string root = Kubectl.RepoRoot();
        await Kubectl.RunAsync(_kubeconfig, Path.Combine(_folder, "kubectl-cache"), "apply", "-f", Path.Combine(root, "crds", "cacheoperator.io_cacheclusters.yaml"));
        using var op = new OperatorProcess(["--kubeconfig", _kubeconfig, "--metrics-port", "0"]);
        var cluster = TestClusters.Example("cachecluster-minimal.yaml");
        cluster.Metadata = new() { Name = "demo", Namespace = "default" };
        await _client.CreateAsync(cluster);

        var ready = await EventuallyAsync(async () =>
        {
            var c = await _client.GetAsync<CacheCluster>("default", "demo");
            return c?.Status is { } s && Conditions.IsTrue(s.Conditions, ConditionTypes.Ready) ? c : null;
        }, op, TimeSpan.FromSeconds(150));

        Assert.Equal((ClusterPhases.Running, "2/2"), (ready.Status!.Phase, ready.Status.ReadyText));
        var ring = RingDocument.Parse((await _client.GetAsync<ConfigMap>("default", "demo-ring"))!.Data!["ring.json"]);
        Assert.All(ring.Default.Shards, s => Assert.StartsWith("127.", s.Primary.Host, StringComparison.Ordinal));

        var routerPod = (await _client.ListAsync<Pod>("default", new ListOptions { LabelSelector = "app.kubernetes.io/component=router,app.kubernetes.io/instance=demo" }))
            .Items.First(p => Conditions.IsTrue(p.Status?.Conditions, "Ready"));
        Assert.Equal("STORED", await MemcachedAsync(routerPod.Status!.PodIP!, "set greeting 0 0 5\r\nhello\r\n"));
        Assert.StartsWith("VALUE greeting 0 5", await MemcachedAsync(routerPod.Status!.PodIP!, "get greeting\r\n"), StringComparison.Ordinal);
    }

    private static async Task<string> MemcachedAsync(string host, string request)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tcp.ConnectAsync(host, 11211, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        var buffer = new byte[4096];
        int read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read).TrimEnd();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, OperatorProcess op, TimeSpan limit) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            Assert.False(op.HasExited, "the operator exited:\n" + op.Output);
            if (await probe() is { } value)
                return value;
            await Task.Delay(500);
        }

        Assert.Fail("timed out; operator output:\n" + op.Output);
        return null!;
    }
}
