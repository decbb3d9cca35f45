using System.Globalization;
using System.Text.Json;
using CacheOperator.Kubernetes.Models.Core;
using Xunit.Abstractions;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// The resharding promise under load: 200,000 keys, a steady read/write/delete load through a router, and
/// `kubectl scale` 3 → 5 → 3. Reads stay warm in every 100 ms window, no acknowledged delete comes back, the ring
/// flips only once every warm-up stream has caught up, and every key is still there at the end.
/// </summary>
public sealed class ResizeUnderLoadTests(ITestOutputHelper output)
{
    private const int Keys = 200_000;
    private const string Cluster = "resize";

    /// <summary>The issue's bound: during and after a move, each window's hit ratio is at least 95% of before.</summary>
    private const double WindowFloor = 0.95;

    private static readonly TimeSpan Baseline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AfterMove = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ScaleThreeToFiveAndBack_UnderLoad_KeepsEveryWindowWarm_LosesNoDelete_AndFlipsTheRingOnlyAfterCatchUp()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        await sandbox.HelmAsync("install", "cache-operator", "charts/cache-operator", "--namespace", "cache-operator", "--create-namespace");
        await sandbox.KubectlAsync("-n", "cache-operator", "rollout", "status", "deployment/cache-operator", "--timeout=180s");
        var manifest = Path.Combine(sandbox.StateDirectory, "resize.yaml");
        await File.WriteAllTextAsync(manifest, $"""
            apiVersion: cacheoperator.io/v1alpha1
            kind: CacheCluster
            metadata:
              name: {Cluster}
            spec:
              shards: 3
              memory: 64Mi
            """);
        await sandbox.KubectlAsync("apply", "-f", manifest);
        await sandbox.KubectlAsync("wait", "--for=condition=Ready", $"cachecluster/{Cluster}", "--timeout=180s");

        var routerIP = (await sandbox.Client.ListAsync<Pod>("default", new() { LabelSelector = $"app.kubernetes.io/instance={Cluster},app.kubernetes.io/component=router" }))
            .Items.First(ProductSandbox.IsReady).Status!.PodIP!;
        var load = new SteadyLoad(routerIP, Keys, Key, Value);
        var preload = System.Diagnostics.Stopwatch.StartNew();
        await load.PreloadAsync();
        output.WriteLine($"preloaded {Keys} keys through router {routerIP} in {preload.Elapsed.TotalSeconds:0.0} s");

        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => load.RunAsync(stop.Token));
        try
        {
            await Task.Delay(Baseline);
            var baseline = load.HitRatio(TimeSpan.Zero, load.Elapsed);
            output.WriteLine($"baseline hit ratio {baseline:P2} over {load.Windows(TimeSpan.Zero, load.Elapsed).Count} windows");
            Assert.True(baseline >= 0.99, $"before any move only {baseline:P2} of reads hit: the preload or the load is broken");

            var outward = await ResizeAsync(sandbox, load, 3, 5, baseline);
            var inward = await ResizeAsync(sandbox, load, 5, 3, baseline);

            await stop.CancelAsync();
            await running;
            output.WriteLine($"load: {load.Batches} batches, {load.AcknowledgedDeletes} acknowledged deletes, longest gap between replies {load.LongestGap.TotalMilliseconds:0} ms, {load.Errors.Count} errors");
            foreach (var error in load.Errors.Take(10))
                output.WriteLine("  " + error);

            Assert.True(load.LostDeletes.Count == 0, "deleted keys came back:\n" + string.Join('\n', load.LostDeletes));
            Assert.True(load.WrongValues.Count == 0, "reads returned another key's value:\n" + string.Join('\n', load.WrongValues));
            Assert.True(load.AcknowledgedDeletes > 1000, $"only {load.AcknowledgedDeletes} deletes were acknowledged: the checker proved little");
            Assert.All([outward, inward], move => Assert.True(move.LowWindows.Count == 0,
                $"{move.Name}: windows below {WindowFloor:P0} of the baseline {baseline:P2}: " + string.Join(", ", move.LowWindows.Select(Describe))));

            var readable = await load.CountReadableAsync();
            output.WriteLine($"{readable}/{Keys} preloaded keys readable with their own value after both moves");
            Assert.Equal(Keys, readable);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    /// <summary>
    /// `kubectl scale` and everything the test watches meanwhile: the ConfigMap (polled every 100 ms) for the
    /// moment the ring's table changes and the warm-up state stored with it, the cluster until it is Ready and no
    /// longer Progressing, and the load's windows from the command until <see cref="AfterMove"/> after that.
    /// </summary>
    private async Task<Move> ResizeAsync(ProductSandbox sandbox, SteadyLoad load, int from, int to, double baseline)
    {
        var name = $"{from} → {to} shards";
        var before = await ClusterView.ReadRingAsync(sandbox, Cluster);
        Assert.Equal(from, before.Ring.Default.Table.Shards.Count);

        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var flip = WatchForFlipAsync(sandbox, to, load, watching.Token);
        var started = load.Elapsed;
        await sandbox.KubectlAsync("scale", "cachecluster", Cluster, "--replicas", to.ToString(CultureInfo.InvariantCulture));
        await sandbox.EventuallyAsync($"{Cluster} at {to} shards, Ready and no longer Progressing",
            async () => await sandbox.KubectlAsync("get", "cachecluster", Cluster, "-o", "json"),
            text => ClusterView.StatusOf(text) is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("ringVersion", out var v) && v.GetInt64() > before.Ring.Version
                && s.TryGetProperty("shards", out var n) && n.GetInt32() == to
                && ClusterView.Condition(s, "Ready") == "True" && ClusterView.Condition(s, "Progressing") != "True",
            seconds: 300);
        var finished = load.Elapsed;
        var (flippedAt, operation) = await flip;
        await Task.Delay(AfterMove);

        var windows = load.Windows(started, finished + AfterMove);
        var low = windows.Where(w => w.Ratio < WindowFloor * baseline).ToList();
        var transfers = operation.GetProperty("transfers").EnumerateArray().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: kubectl scale → Ready {(finished - started).TotalSeconds:0.0} s; ring flipped {(flippedAt - started).TotalSeconds:0.0} s after the command; " +
            $"{transfers.Count} warm-up streams copied {transfers.Sum(t => t.GetProperty("items").GetInt64())} items; " +
            $"{windows.Count} windows, lowest hit ratio {windows.Min(w => w.Ratio):P2}, over the move {load.HitRatio(started, finished + AfterMove):P2}"));
        output.WriteLine($"{name}: hit ratio per 100 ms from the command: " + string.Join(' ', windows.Select(w => w.Ratio.ToString("0.000", CultureInfo.InvariantCulture))));

        // Caught up when the table changed: every stream tailing its source within the allowed lag, none timed out.
        Assert.Equal(to, operation.GetProperty("toShards").GetArrayLength());
        Assert.NotEmpty(transfers);
        Assert.All(transfers, t =>
        {
            Assert.Equal("Tailing", t.GetProperty("phase").GetString());
            Assert.True(t.GetProperty("lagItems").GetInt64() <= 1000, $"stream {t} was {t.GetProperty("lagItems")} items behind when the ring flipped");
        });
        var timedOut = await sandbox.KubectlAsync("get", "events", "--field-selector", "reason=WarmUpTimedOut", "-o", "name");
        Assert.True(string.IsNullOrWhiteSpace(timedOut), $"a warm-up timed out during {name}: {timedOut}");
        return new Move(name, low);
    }

    private static async Task<(TimeSpan At, JsonElement Operation)> WatchForFlipAsync(ProductSandbox sandbox, int shards, SteadyLoad load, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var (ring, operation) = await ClusterView.ReadRingAsync(sandbox, Cluster);
            if (ring.Default.Table.Shards.Count == shards)
            {
                Assert.True(operation is { ValueKind: JsonValueKind.Object }, "the ring's table changed with no orchestration state stored beside it");
                return (load.Elapsed, operation!.Value);
            }

            await Task.Delay(100, ct);
        }
    }

    private static string Describe(HitWindow w) =>
        string.Create(CultureInfo.InvariantCulture, $"{w.Start.TotalSeconds:0.0}s {w.Hits}/{w.Gets}");

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"user:{i}");

    private static string Value(int i) => string.Create(CultureInfo.InvariantCulture, $"value-{i}");

    private sealed record Move(string Name, IReadOnlyList<HitWindow> LowWindows);
}
