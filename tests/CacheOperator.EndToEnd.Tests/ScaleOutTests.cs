using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Ring;
using Xunit.Abstractions;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// `kubectl scale cachecluster demo --replicas 3` on a loaded minimal example: the new shard is warmed up from
/// the old owners before the ring moves, so keys stay readable, land on the new node, and leave the old ones.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private const int Keys = 20_000;

    [Fact]
    public async Task KubectlScale_TwoToThreeShards_KeepsKeysReadable_MovesThemToTheNewNode_AndDropsThemFromTheOldOwners_ThenBackToTwo()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        await sandbox.InstallOperatorAsync();
        await sandbox.KubectlAsync("apply", "-f", "examples/cachecluster-minimal.yaml");
        await sandbox.KubectlAsync("wait", "--for=condition=Ready", "cachecluster/demo", "--timeout=180s");

        var before = RingDocument.Parse((await sandbox.Client.GetAsync<ConfigMap>("default", "demo-ring"))!.Data!["ring.json"]);
        var routerIP = await sandbox.RouterIPAsync("demo");
        using (var router = await MemcachedText.ConnectAsync(routerIP))
        {
            for (int i = 0; i < Keys; i++)
                Assert.Equal("STORED\r\n", await router.SetAsync(Key(i), Value(i)));
        }

        var clock = Stopwatch.StartNew();
        await sandbox.KubectlAsync("scale", "cachecluster", "demo", "--replicas", "3");
        string json = await sandbox.EventuallyAsync("demo scaled out, Ready and no longer Progressing",
            async () => await sandbox.KubectlAsync("get", "cachecluster", "demo", "-o", "json"),
            text => ClusterView.StatusOf(text) is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("ringVersion", out var v) && v.GetInt64() > before.Version
                && s.TryGetProperty("shards", out var n) && n.GetInt32() == 3
                && ClusterView.Condition(s, "Ready") == "True" && ClusterView.Condition(s, "Progressing") != "True",
            seconds: 240);
        clock.Stop();
        var status = ClusterView.StatusOf(json);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale-out 2 → 3 shards with {Keys} keys took {clock.Elapsed.TotalSeconds:0.0} s"));

        var after = RingDocument.Parse((await sandbox.Client.GetAsync<ConfigMap>("default", "demo-ring"))!.Data!["ring.json"]);
        Assert.Equal(3, after.Default.Table.Shards.Count);
        var warmUps = status.GetProperty("warmUps").EnumerateArray().ToList();
        Assert.NotEmpty(warmUps);
        Assert.All(warmUps, w => Assert.Equal("Done", w.GetProperty("phase").GetString()));
        Assert.True(warmUps.Sum(w => w.GetProperty("itemsCopied").GetInt64()) > 0, "the warm-up copied nothing");

        int hits = 0;
        using (var router = await MemcachedText.ConnectAsync(routerIP))
        {
            for (int i = 0; i < Keys; i++)
                hits += await router.GetAsync(Key(i)) == Value(i) ? 1 : 0;
        }

        output.WriteLine($"{hits}/{Keys} keys readable through the router after the scale-out");
        Assert.True(hits >= Keys * 95 / 100, $"only {hits}/{Keys} keys readable after the scale-out");

        // Keys whose bucket moved: on the new owner, and no longer on the old one.
        var moved = Enumerable.Range(0, Keys).Select(i => (I: i, Bytes: Encoding.ASCII.GetBytes(Key(i))))
            .Select(k => (k.I, From: before.Default.ShardForKey(k.Bytes).Primary.Host, To: after.Default.ShardForKey(k.Bytes).Primary.Host))
            .Where(k => k.From != k.To).ToList();
        Assert.NotEmpty(moved);
        int onNew = 0, leftBehind = 0;
        foreach (var group in moved.GroupBy(k => (k.From, k.To)))
        {
            using var target = await MemcachedText.ConnectAsync(group.Key.To);
            using var source = await MemcachedText.ConnectAsync(group.Key.From);
            foreach (var k in group)
            {
                onNew += await target.GetAsync(Key(k.I)) == Value(k.I) ? 1 : 0;
                leftBehind += await source.GetAsync(Key(k.I)) is null ? 0 : 1;
            }
        }

        output.WriteLine($"{moved.Count} keys moved: {onNew} on their new node, {leftBehind} left on the old one");
        Assert.True(onNew >= moved.Count * 95 / 100, $"only {onNew}/{moved.Count} moved keys are on the new node");
        Assert.Equal(0, leftBehind);

        // And back: the third shard hands its buckets to the other two before its pod goes.
        clock.Restart();
        await sandbox.KubectlAsync("scale", "cachecluster", "demo", "--replicas", "2");
        json = await sandbox.EventuallyAsync("demo scaled in, Ready and no longer Progressing",
            async () => await sandbox.KubectlAsync("get", "cachecluster", "demo", "-o", "json"),
            text => ClusterView.StatusOf(text) is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("ringVersion", out var v) && v.GetInt64() > after.Version
                && s.TryGetProperty("shards", out var n) && n.GetInt32() == 2 && s.GetProperty("members").GetArrayLength() == 2
                && ClusterView.Condition(s, "Ready") == "True" && ClusterView.Condition(s, "Progressing") != "True",
            seconds: 240);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale-in 3 → 2 shards took {clock.Elapsed.TotalSeconds:0.0} s"));
        await sandbox.EventuallyAsync("the third node pod removed",
            async () => (await sandbox.Client.ListAsync<Pod>("default", new() { LabelSelector = "app.kubernetes.io/instance=demo,app.kubernetes.io/component=node" })).Items,
            items => items.Count == 2, seconds: 120);
        hits = 0;
        using (var router = await MemcachedText.ConnectAsync(routerIP))
        {
            for (int i = 0; i < Keys; i++)
                hits += await router.GetAsync(Key(i)) == Value(i) ? 1 : 0;
        }

        output.WriteLine($"{hits}/{Keys} keys readable through the router after the scale-in");
        Assert.True(hits >= Keys * 95 / 100, $"only {hits}/{Keys} keys readable after the scale-in");
    }

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"user:{i}");

    private static string Value(int i) => string.Create(CultureInfo.InvariantCulture, $"value-{i}");
}
