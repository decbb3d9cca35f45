using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CacheOperator.Kubernetes.Models.Core;
using Xunit.Abstractions;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// Issue 6, scale-in after raising replicasPerShard with the helm-installed operator: each shard has a replica at the
/// highest ordinals, so the staying shard is first copied into the standby, its copy above retires from the ring, and
/// then the ordinary scale-in warms the leaving shard's buckets up into it; every key stays readable throughout.
/// </summary>
public sealed class ScaleInCopyDownTests(ITestOutputHelper output)
{
    private static readonly LoadedKeys Keys = new("rin", 10_000);

    private const string Manifest = """
        apiVersion: cacheoperator.io/v1alpha1
        kind: CacheCluster
        metadata:
          name: rin
        spec:
          shards: 2
          standbys: 1
          memory: 64Mi
        """;

    [Fact]
    public async Task ScaleIn2To1_AfterRaisingReplicas_CopiesShard0IntoTheStandby_EveryKeyStaysReadable_AndTheStatefulSetKeepsThree()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        await sandbox.InstallOperatorAsync();
        await sandbox.ApplyClusterAsync("rin", Manifest);

        // Raised after creation: the replicas take pods 3 and 4 (P:s0 P:s1 S R:s0 R:s1).
        await sandbox.KubectlAsync("patch", "cachecluster", "rin", "--type", "merge", "-p", """{"spec":{"replicasPerShard":2}}""");
        await sandbox.EventuallyAsync("both new replicas streaming from their primaries",
            async () => await sandbox.KubectlAsync("get", "cachecluster", "rin", "-o", "jsonpath={.status.members[*].replication}"),
            s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["Tailing", "Tailing"], seconds: 120);
        string routerIP = await sandbox.RouterIPAsync("rin");
        await Keys.LoadAsync(routerIP);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var reads = Keys.ReadAllTheTimeAsync(routerIP, stop.Token);
        var clock = Stopwatch.StartNew();
        await sandbox.KubectlAsync("scale", "cachecluster", "rin", "--replicas", "1");
        string json = await sandbox.EventuallyAsync("rin at 1 shard on 3 pods, Ready and no longer Progressing",
            async () => await sandbox.KubectlAsync("get", "cachecluster", "rin", "-o", "json"),
            text => ClusterView.StatusOf(text) is { ValueKind: JsonValueKind.Object } s
                && s.TryGetProperty("shards", out var n) && n.GetInt32() == 1
                && s.TryGetProperty("members", out var members) && members.GetArrayLength() == 3
                && ClusterView.Condition(s, "Ready") == "True" && ClusterView.Condition(s, "Progressing") != "True",
            seconds: 240);
        var converged = clock.Elapsed;
        await NodePods.ShrunkToAsync(sandbox, "rin", 3);
        var gone = clock.Elapsed;
        await stop.CancelAsync();
        var (readsDone, readMisses) = await reads;

        // Pod 2 (the standby) copied shard-0 and stays its replica; pod 1 (shard-1's primary) is the standby.
        Assert.Equal(["rin-default-0=primary", "rin-default-1=standby", "rin-default-2=replica"], NodePods.Roles(json));
        var (ring, _) = await ClusterView.ReadRingAsync(sandbox, "rin");
        string pod2 = (await sandbox.Client.GetAsync<Pod>("default", "rin-default-2"))!.Status!.PodIP!;
        Assert.Equal([pod2], Assert.Single(ring.Default.Shards).Replicas.Select(a => a.Host));
        string moved = await sandbox.KubectlAsync("get", "events", "--field-selector", "reason=ShardCopyMoved", "-o", "jsonpath={.items[*].message}");
        Assert.Contains("rin-default-2 (standby) becomes a replica of shard-0 and copies it from rin-default-0", moved, StringComparison.Ordinal);

        int hits = await Keys.ReadableAsync(routerIP);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scale-in 2 → 1 after raising replicasPerShard to 2, {Keys.Count} keys: kubectl scale → Ready, not Progressing {converged.TotalSeconds:0.0} s, pods 3 and 4 gone {gone.TotalSeconds:0.0} s; {readMisses} misses in {readsDone} reads during; {hits}/{Keys.Count} readable after"));
        Assert.Equal(0, readMisses);
        Assert.Equal(Keys.Count, hits);
    }
}
