using System.Text;
using CacheOperator.Kubernetes.Models.Coordination;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Ring;
using Xunit.Abstractions;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// What `make run` promises, proved: the operator installed by the real helm (two leader-elected replicas)
/// turns examples/cachecluster-minimal.yaml into ready cache pods and routers; memcached traffic through a
/// router lands on the node the ring names; a killed node process comes back; the leader's death hands the
/// lease over; deleting the CacheCluster removes everything it owned.
/// </summary>
public sealed class OperatorInSandboxTests(ITestOutputHelper output)
{
    private const string OperatorNamespace = "cache-operator";

    [Fact]
    public async Task HelmInstalledOperator_RunsTheMinimalExample_AndRoutesKeysToTheNodesTheRingNames()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        await sandbox.InstallOperatorAsync();

        await sandbox.KubectlAsync("apply", "-f", "examples/cachecluster-minimal.yaml");
        await sandbox.KubectlAsync("wait", "--for=condition=Ready", "cachecluster/demo", "--timeout=180s");

        var nodes = await PodsAsync(sandbox, "app.kubernetes.io/instance=demo,app.kubernetes.io/component=node");
        var routers = await PodsAsync(sandbox, "app.kubernetes.io/instance=demo,app.kubernetes.io/component=router");
        Assert.Equal(2, nodes.Count);
        Assert.Equal(2, routers.Count);
        Assert.All(nodes.Concat(routers), p => Assert.True(ProductSandbox.IsReady(p), $"{p.Metadata.Name} is not ready"));

        var ringMap = await sandbox.Client.GetAsync<ConfigMap>("default", "demo-ring");
        Assert.NotNull(ringMap);
        var ring = RingDocument.Parse(ringMap.Data!["ring.json"]);
        var nodeIps = nodes.Select(n => n.Status!.PodIP!).ToHashSet();
        var pool = ring.Default;
        Assert.All(pool.Shards, s => Assert.Contains(s.Primary.Host, nodeIps));

        using (var router = await MemcachedText.ConnectAsync(routers[0].Status!.PodIP!))
        {
            for (int i = 0; i < 40; i++)
                Assert.Equal("STORED\r\n", await router.SetAsync($"user:{i}", $"v{i}"));
        }

        // Read back through the other router, then from every node directly: each key is on exactly the
        // node that the published ring names for it, and nowhere else.
        using var secondRouter = await MemcachedText.ConnectAsync(routers[1].Status!.PodIP!);
        var perNode = new Dictionary<string, MemcachedText>();
        try
        {
            foreach (var ip in nodeIps)
                perNode[ip] = await MemcachedText.ConnectAsync(ip);
            var owners = new HashSet<string>();
            for (int i = 0; i < 40; i++)
            {
                string key = $"user:{i}";
                Assert.Equal($"v{i}", await secondRouter.GetAsync(key));
                string owner = pool.ShardForKey(Encoding.ASCII.GetBytes(key)).Primary.Host;
                owners.Add(owner);
                foreach (var (ip, node) in perNode)
                    Assert.Equal(ip == owner ? $"v{i}" : null, await node.GetAsync(key));
            }

            Assert.Equal(2, owners.Count);
        }
        finally
        {
            foreach (var node in perNode.Values)
                node.Dispose();
        }

        var table = await sandbox.KubectlAsync("get", "cachecluster", "demo");
        Assert.Matches(@"demo\s+2\s+2/2\s+\d+\s+Running", table);
    }

    [Fact]
    public async Task KilledNodeProcess_IsRestarted_AndTheClusterIsReadyAgain_AndDeletingTheClusterRemovesItsPods()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        await sandbox.InstallOperatorAsync();
        await sandbox.KubectlAsync("apply", "-f", "examples/cachecluster-minimal.yaml");
        await sandbox.KubectlAsync("wait", "--for=condition=Ready", "cachecluster/demo", "--timeout=180s");

        var victim = (await PodsAsync(sandbox, "app.kubernetes.io/instance=demo,app.kubernetes.io/component=node"))[0];
        var pids = sandbox.Server.Kubelet.ProcessIdsOf(victim.Metadata.Uid!);
        Assert.NotEmpty(pids);
        await sandbox.KubectlAsync("annotate", "pod", victim.Metadata.Name!, "sandbox.cacheoperator.io/fault=kill", "--overwrite");

        await sandbox.EventuallyAsync($"{victim.Metadata.Name} restarted and ready",
            () => sandbox.Client.GetAsync<Pod>("default", victim.Metadata.Name!),
            p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) >= 1 && ProductSandbox.IsReady(p), seconds: 90);
        Assert.All(pids, pid => Assert.False(Alive(pid), $"the killed process {pid} is still running"));
        await sandbox.KubectlAsync("wait", "--for=condition=Ready", "cachecluster/demo", "--timeout=120s");

        var owned = sandbox.Server.Kubelet.ProcessIds;
        Assert.NotEmpty(owned);
        await sandbox.KubectlAsync("delete", "cachecluster", "demo", "--wait=true", "--timeout=120s");
        await sandbox.EventuallyAsync("every pod of demo gone",
            async () => (await sandbox.Client.ListAsync<Pod>("default", new() { LabelSelector = "app.kubernetes.io/instance=demo" })).Items,
            items => items.Count == 0, seconds: 120);
        var left = sandbox.Server.Kubelet.ProcessIds;
        Assert.All(owned.Except(left), pid => Assert.False(Alive(pid), $"process {pid} of a deleted pod is still running"));
        Assert.Null(await sandbox.Client.GetAsync<ConfigMap>("default", "demo-ring"));
    }

    [Fact]
    public async Task KillingTheLeadingOperator_HandsTheLeaseToTheOtherReplica_WhichKeepsReconciling()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        await sandbox.InstallOperatorAsync();
        var lease = await sandbox.EventuallyAsync("a leader elected",
            () => sandbox.Client.GetAsync<Lease>(OperatorNamespace, "cache-operator-leader"),
            l => !string.IsNullOrEmpty(l.Spec?.HolderIdentity), seconds: 60);
        string leader = lease.Spec!.HolderIdentity!;

        await sandbox.KubectlAsync("-n", OperatorNamespace, "annotate", "pod", leader, "sandbox.cacheoperator.io/fault=freeze", "--overwrite");
        var taken = await sandbox.EventuallyAsync("the lease taken over by the other replica",
            () => sandbox.Client.GetAsync<Lease>(OperatorNamespace, "cache-operator-leader"),
            l => !string.IsNullOrEmpty(l.Spec?.HolderIdentity) && l.Spec.HolderIdentity != leader, seconds: 90);
        Assert.True(taken.Spec!.LeaseTransitions >= 1);

        // The new leader does the work: a cluster created after the takeover becomes Ready.
        await sandbox.KubectlAsync("apply", "-f", "examples/cachecluster-minimal.yaml");
        await sandbox.KubectlAsync("wait", "--for=condition=Ready", "cachecluster/demo", "--timeout=180s");
    }

    private static async Task<List<Pod>> PodsAsync(ProductSandbox sandbox, string selector) =>
        [.. (await sandbox.Client.ListAsync<Pod>("default", new() { LabelSelector = selector })).Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)];

    private static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
}
