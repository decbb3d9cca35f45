using System.Diagnostics;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.ApiServer;

namespace CacheOperator.Reconciler.Tests.EndToEnd;

/// <summary>
/// The operator process against the sandbox API server, driven by real kubectl: the CRD and the minimal example
/// applied, the operator's objects and status appear, and deleting the cluster takes them away. No kubelet runs
/// here, so the cluster stays Creating; the sandbox's own end-to-end tests take it to Ready.
/// </summary>
public sealed class OperatorEndToEndTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "reconciler-e2e-" + Guid.NewGuid().ToString("N"));
    private SandboxApiServer _server = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { GarbageCollectionInterval = TimeSpan.FromMilliseconds(200) });
        _kubeconfig = Path.Combine(_folder, "kubeconfig");
        _server.WriteKubeconfig(_kubeconfig);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Operator_CreatesTheClustersObjectsAndStatus_AndGarbageCollectionRemovesThem()
    {
        string root = Kubectl.RepoRoot();
        await KubectlAsync("apply", "-f", Path.Combine(root, "crds", "cacheoperator.io_cacheclusters.yaml"));
        using var op = new OperatorProcess(["--kubeconfig", _kubeconfig, "--metrics-port", "0"]);
        using var client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(_kubeconfig));

        await KubectlAsync("apply", "-n", "default", "-f", Path.Combine(root, "examples", "cachecluster-minimal.yaml"));

        var cluster = await EventuallyAsync(async () =>
        {
            var c = await client.GetAsync<CacheCluster>("default", "demo");
            return c?.Status is { RingVersion: >= 1 } ? c : null;
        }, op);
        var statefulSet = await client.GetAsync<StatefulSet>("default", "demo-default");
        Assert.Equal(2, statefulSet!.Spec.Replicas);
        Assert.Equal(cluster.Metadata.Uid, Assert.Single(statefulSet.Metadata.OwnerReferences!).Uid);
        Assert.NotNull(await client.GetAsync<ConfigMap>("default", "demo-ring"));
        Assert.NotNull(await client.GetAsync<Secret>("default", "demo-token"));
        Assert.NotNull(await client.GetAsync<Deployment>("default", "demo-router"));
        Assert.Equal((ClusterPhases.Creating, "0/2"), (cluster.Status!.Phase, cluster.Status.ReadyText));
        Assert.Contains("cache-operator started: API server", op.Output, StringComparison.Ordinal);

        // With nothing changing, the operator settles: no write loop between its applies and its informers.
        await EventuallyAsync(async () =>
        {
            long before = _server.ResourceVersion;
            await Task.Delay(TimeSpan.FromSeconds(2));
            return _server.ResourceVersion == before ? "quiet" : null;
        }, op);

        var port = System.Text.RegularExpressions.Regex.Match(op.Output, @"metrics on \S+:(\d+)");
        Assert.True(port.Success, op.Output);
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.Groups[1].Value}") })
        {
            Assert.Equal("ok", await http.GetStringAsync("/readyz"));
            Assert.Equal("ok", await http.GetStringAsync("/healthz"));
            string metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("cacheoperator_managed_clusters 1", metrics, StringComparison.Ordinal);
            Assert.Contains("cacheoperator_reconcile_total", metrics, StringComparison.Ordinal);
            Assert.Contains("cacheoperator_ring_publish_total 1", metrics, StringComparison.Ordinal);
        }

        string table = await KubectlAsync("get", "cachecluster", "demo", "-n", "default");
        Assert.Contains("0/2", table, StringComparison.Ordinal);

        await KubectlAsync("delete", "cachecluster", "demo", "-n", "default");
        await EventuallyAsync(async () => await client.GetAsync<StatefulSet>("default", "demo-default") is null ? "gone" : null, op);

        Assert.True(op.Terminate(TimeSpan.FromSeconds(30)), "the operator did not stop cleanly on SIGTERM\n" + op.Output);
    }

    private Task<string> KubectlAsync(params string[] args) =>
        Kubectl.RunAsync(_kubeconfig, Path.Combine(_folder, "kubectl-cache"), args);

    /// <summary>Polls until <paramref name="probe"/> returns non-null; at most 60 s.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, OperatorProcess op) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(op.HasExited, "the operator exited:\n" + op.Output);
            if (await probe() is { } value)
                return value;
            await Task.Delay(200);
        }

        Assert.Fail("timed out; operator output:\n" + op.Output);
        return null!;
    }
}
