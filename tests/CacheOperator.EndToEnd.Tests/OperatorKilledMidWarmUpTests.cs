using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CacheOperator.Kubernetes.Models.Core;
using Xunit.Abstractions;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// The orchestration survives its own operator: the leading operator process is SIGKILLed while warm-up streams
/// run (capped by spec.warmUp.bytesPerSecond so that they run long enough), and whichever process leads next
/// picks the move up from the ring ConfigMap and finishes it, with every key still readable.
/// </summary>
public sealed class OperatorKilledMidWarmUpTests(ITestOutputHelper output)
{
    private const int Keys = 60_000;
    private const string Cluster = "handover";

    /// <summary>About a megabyte moves in two streams: at this cap the warm-up outlasts the 15 s lease.</summary>
    private const int BytesPerSecond = 25_000;

    [Fact]
    public async Task LeadingOperatorKilledMidWarmUp_TheNextLeaderFinishesTheMove_AndEveryKeyIsReadable()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        await sandbox.InstallOperatorAsync();
        await sandbox.ApplyClusterAsync(Cluster, $"""
            apiVersion: cacheoperator.io/v1alpha1
            kind: CacheCluster
            metadata:
              name: {Cluster}
            spec:
              shards: 2
              memory: 64Mi
              warmUp:
                bytesPerSecond: {BytesPerSecond}
            """);
        var routerIP = await sandbox.RouterIPAsync(Cluster);
        var keys = new SteadyLoad(routerIP, Keys, Key, Value);
        await keys.PreloadAsync();

        var clock = Stopwatch.StartNew();
        await sandbox.KubectlAsync("scale", "cachecluster", Cluster, "--replicas", "3");
        // Killed once items are flowing, so the next leader inherits streams that are really under way.
        await sandbox.EventuallyAsync("warm-up streams copying",
            async () => (await ClusterView.ReadRingAsync(sandbox, Cluster)).Operation?.GetRawText(),
            text => JsonDocument.Parse(text).RootElement is var o && o.GetProperty("phase").GetString() == "WarmingUp" && Copied(o) > 0,
            seconds: 180);
        var warmingAt = clock.Elapsed;

        var leader = (await sandbox.KubectlAsync("-n", "cache-operator", "get", "lease", "cache-operator-leader", "-o", "jsonpath={.spec.holderIdentity}")).Trim();
        var leaderPod = await sandbox.Client.GetAsync<Pod>("cache-operator", leader);
        Assert.True(leaderPod is not null, $"the lease names '{leader}', which is no operator pod");
        var restartsBefore = leaderPod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;
        await sandbox.KubectlAsync("-n", "cache-operator", "annotate", "pod", leader, "sandbox.cacheoperator.io/fault=kill", "--overwrite");
        var killedAt = clock.Elapsed;

        // Still mid-move when the leader died: the published ring has the old two shards.
        var (ring, operation) = await ClusterView.ReadRingAsync(sandbox, Cluster);
        Assert.Equal(2, ring.Default.Table.Shards.Count);
        Assert.Equal("WarmingUp", operation?.GetProperty("phase").GetString());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up running {warmingAt.TotalSeconds:0.0} s after kubectl scale; leader {leader} killed at {killedAt.TotalSeconds:0.0} s; copied so far: {Copied(operation!.Value)} items"));

        await sandbox.EventuallyAsync($"the killed leader {leader} restarted by the kubelet",
            async () => await sandbox.Client.GetAsync<Pod>("cache-operator", leader),
            p => (p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0) > restartsBefore, seconds: 60);
        var json = await sandbox.EventuallyAsync($"{Cluster} at 3 shards, Ready and no longer Progressing",
            async () => await sandbox.KubectlAsync("get", "cachecluster", Cluster, "-o", "json"),
            text => ClusterView.StatusOf(text) is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("shards", out var n) && n.GetInt32() == 3
                && ClusterView.Condition(s, "Ready") == "True" && ClusterView.Condition(s, "Progressing") != "True",
            seconds: 300);
        var doneAt = clock.Elapsed;
        var newLeader = (await sandbox.KubectlAsync("-n", "cache-operator", "get", "lease", "cache-operator-leader", "-o", "jsonpath={.spec.holderIdentity}")).Trim();

        (ring, operation) = await ClusterView.ReadRingAsync(sandbox, Cluster);
        Assert.Equal(3, ring.Default.Table.Shards.Count);
        Assert.Equal("Done", operation?.GetProperty("phase").GetString());
        var warmUps = ClusterView.StatusOf(json).GetProperty("warmUps").EnumerateArray().ToList();
        Assert.NotEmpty(warmUps);
        Assert.All(warmUps, w => Assert.Equal("Done", w.GetProperty("phase").GetString()));
        var timedOut = await sandbox.KubectlAsync("get", "events", "--field-selector", "reason=WarmUpTimedOut", "-o", "name");
        Assert.True(string.IsNullOrWhiteSpace(timedOut), $"the warm-up timed out instead of finishing: {timedOut}");

        var readable = await keys.CountReadableAsync();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"move finished {(doneAt - killedAt).TotalSeconds:0.0} s after the kill (lease now held by {newLeader}); {Copied(operation!.Value)} items copied; {readable}/{Keys} keys readable"));
        Assert.Equal(Keys, readable);
    }

    private static long Copied(JsonElement operation) =>
        operation.GetProperty("transfers").EnumerateArray().Sum(t => t.TryGetProperty("items", out var items) ? items.GetInt64() : 0);

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"item:{i}");

    private static string Value(int i) => string.Create(CultureInfo.InvariantCulture, $"v{i}");
}
