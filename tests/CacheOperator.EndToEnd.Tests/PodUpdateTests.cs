using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using Xunit.Abstractions;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// Issue 6, a change of the node pod template on a loaded cluster with the helm-installed operator: the node
/// StatefulSet is OnDelete and the operator replaces the pods one at a time, each only once the one before is Ready
/// and its copy tails, a primary handing its shard to its replica first. Every key stays readable through the router.
/// </summary>
public sealed class PodUpdateTests(ITestOutputHelper output)
{
    private const int Keys = 10_000;

    private const string Manifest = """
        apiVersion: cacheoperator.io/v1alpha1
        kind: CacheCluster
        metadata:
          name: roll
        spec:
          shards: 2
          replicasPerShard: 2
          standbys: 1
          memory: 64Mi
        """;

    private const string NodeSelector = "app.kubernetes.io/instance=roll,app.kubernetes.io/component=node";

    private static readonly LoadedKeys Loaded = new("roll", Keys);

    [Fact]
    public async Task NodeTemplateChange_ReplacesEveryPod_OneAtATime_EveryKeyStaysReadable()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        await sandbox.InstallOperatorAsync();
        await sandbox.ApplyClusterAsync("roll", Manifest);
        await sandbox.EventuallyAsync("both replicas streaming from their primaries",
            async () => await sandbox.KubectlAsync("get", "cachecluster", "roll", "-o", "jsonpath={.status.members[*].replication}"),
            s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["Tailing", "Tailing"], seconds: 90);
        var set = (await sandbox.Client.GetAsync<StatefulSet>("default", "roll-default"))!;
        Assert.Equal("OnDelete", set.Spec.UpdateStrategy!.Type);
        string oldRevision = set.Status!.UpdateRevision!;

        string routerIP = await sandbox.RouterIPAsync("roll");
        await Loaded.LoadAsync(routerIP);

        // Reads through the router while the pods are replaced: bounded in count and time, stopped once done.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var reads = Loaded.ReadAllTheTimeAsync(routerIP, stop.Token);

        // The node containers' resources are part of the pod template: a new revision.
        var clock = Stopwatch.StartNew();
        await sandbox.KubectlAsync("patch", "cachecluster", "roll", "--type", "merge", "-p", """{"spec":{"resources":{"requests":{"cpu":"150m"}}}}""");
        var progressing = new HashSet<string>(StringComparer.Ordinal);
        string json = await sandbox.EventuallyAsync("every node pod at the new revision, the cluster Ready, not Progressing, both replicas tailing",
            async () =>
            {
                var current = (await sandbox.Client.GetAsync<StatefulSet>("default", "roll-default"))!.Status?.UpdateRevision;
                var pods = (await sandbox.Client.ListAsync<Pod>("default", new() { LabelSelector = NodeSelector })).Items;
                bool updated = current is not null && current != oldRevision && pods.Count == 5
                    && pods.All(p => p.Metadata.DeletionTimestamp is null && p.Metadata.Labels!.TryGetValue("controller-revision-hash", out string? revision) && revision == current);
                string cluster = await sandbox.KubectlAsync("get", "cachecluster", "roll", "-o", "json");
                if (ClusterView.StatusOf(cluster) is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("conditions", out _)
                    && ClusterView.Condition(s, "Progressing") == "True")
                {
                    progressing.Add(s.GetProperty("message").GetString() ?? "");
                }

                return updated ? cluster : null;
            },
            text => ClusterView.StatusOf(text) is { ValueKind: JsonValueKind.Object } s
                && ClusterView.Condition(s, "Ready") == "True" && ClusterView.Condition(s, "Progressing") != "True"
                && s.GetProperty("members").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "replica")
                    .Count(m => m.TryGetProperty("replication", out var r) && r.GetString() == "Tailing") == 2,
            seconds: 240);
        var converged = clock.Elapsed;
        await stop.CancelAsync();
        var (readsDone, readMisses) = await reads;

        foreach (string message in progressing.Take(12))
            output.WriteLine("  " + message);
        string started = await sandbox.KubectlAsync("get", "events", "--field-selector", "reason=PodUpdateStarted", "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}");
        string handovers = await sandbox.KubectlAsync("get", "events", "--field-selector", "reason=PodUpdateHandover", "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}");
        output.WriteLine(started);
        output.WriteLine(handovers);
        Assert.Equal(5, started.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(2, handovers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        string done = await sandbox.KubectlAsync("get", "events", "--field-selector", "reason=PodsUpdated", "-o", "jsonpath={.items[*].message}");
        output.WriteLine(done);
        Assert.Contains("every node pod (5) runs revision", done, StringComparison.Ordinal);

        // Each primary handed its shard to its (already updated) replica: the roles swapped within each shard.
        Assert.Equal(["roll-default-0=replica", "roll-default-1=primary", "roll-default-2=replica", "roll-default-3=primary", "roll-default-4=standby"],
            NodePods.Roles(json));

        int hits = await Loaded.ReadableAsync(routerIP);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"node template change with {Keys} keys (shards 2, replicasPerShard 2, standbys 1): patch → every pod updated, Ready, not Progressing {converged.TotalSeconds:0.0} s; {readMisses} misses or errors in {readsDone} reads during; {hits}/{Keys} readable after"));
        Assert.Equal(Keys, hits);
        Assert.Equal(0, readMisses);
    }
}
