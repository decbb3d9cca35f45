using System.Diagnostics;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Coordination;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.ApiServer;

namespace CacheOperator.Reconciler.Tests.EndToEnd;

/// <summary>Two operator processes with --leader-elect: one leads and reconciles; when it stops, the other takes over.</summary>
public sealed class LeaderElectionEndToEndTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "reconciler-leader-" + Guid.NewGuid().ToString("N"));
    private SandboxApiServer _server = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions());
        _kubeconfig = Path.Combine(_folder, "kubeconfig");
        _server.WriteKubeconfig(_kubeconfig);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task OneReplicaLeads_AndTheOtherTakesOverWhenItStops()
    {
        string cache = Path.Combine(_folder, "kubectl-cache");
        await Kubectl.RunAsync(_kubeconfig, cache, "apply", "-f", Path.Combine(Kubectl.RepoRoot(), "crds", "cacheoperator.io_cacheclusters.yaml"));
        string[] args = ["--kubeconfig", _kubeconfig, "--metrics-port", "0", "--leader-elect", "--leader-election-namespace", "default"];
        using var first = new OperatorProcess(args, "operator-a");
        using var second = new OperatorProcess(args, "operator-b");
        using var client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(_kubeconfig));

        string leader = await EventuallyAsync(async () =>
            (await client.GetAsync<Lease>("default", "cache-operator-leader"))?.Spec.HolderIdentity is { Length: > 0 } holder ? holder : null);
        await Kubectl.RunAsync(_kubeconfig, cache, "apply", "-n", "default", "-f", Path.Combine(Kubectl.RepoRoot(), "examples", "cachecluster-minimal.yaml"));
        await EventuallyAsync(async () => (await client.GetAsync<CacheCluster>("default", "demo"))?.Status?.RingVersion >= 1 ? "published" : null);

        var events = (await client.ListAsync<Event>("default")).Items.Where(e => e.ReportingComponent == "cache-operator").ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(leader, e.ReportingInstance));

        var (stopped, other, otherName) = leader == "operator-a" ? (first, second, "operator-b") : (second, first, "operator-a");
        Assert.True(stopped.Terminate(TimeSpan.FromSeconds(30)), "the leader did not stop cleanly\n" + stopped.Output);

        // Released on shutdown, so the other replica need not wait out the 15 s lease.
        await EventuallyAsync(async () =>
            (await client.GetAsync<Lease>("default", "cache-operator-leader"))?.Spec.HolderIdentity == otherName ? "taken over" : null);
        Assert.False(other.HasExited, other.Output);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await probe() is { } value)
                return value;
            await Task.Delay(250);
        }

        Assert.Fail("timed out");
        return null!;
    }
}
