using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// The resharding promise under load: 200,000 keys, a steady read/write/delete load through a router, and
/// `kubectl scale` 3 → 5 → 3. Reads stay warm in every 100 ms window, no acknowledged delete comes back, the ring
/// flips only once every warm-up stream has caught up, and every key is still there at the end.
/// </summary>
public sealed class ResizeUnderLoadTests(ITestOutputHelper output)
{
    /// <summary>200,000 as the issue asks; bench/resize-under-load.sh sets E2E_RESIZE_KEYS for the 1M figure.</summary>
    private static readonly int Keys = int.TryParse(Environment.GetEnvironmentVariable("E2E_RESIZE_KEYS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var keys) && keys > 0
        ? keys
        : 200_000;
    private const string Cluster = "resize";

    /// <summary>The issue's bound: during and after a move, each window's hit ratio is at least 95% of before.</summary>
    private const double WindowFloor = 0.95;

    private static readonly TimeSpan Baseline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AfterMove = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ScaleThreeToFiveAndBack_UnderLoad_KeepsEveryWindowWarm_LosesNoDelete_AndFlipsTheRingOnlyAfterCatchUp()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        var load = await StartLoadedClusterAsync(sandbox, warmUp: "");
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => load.RunAsync(stop.Token));
        try
        {
            var baseline = await BaselineAsync(load);
            var outward = await ResizeAsync(sandbox, load, 3, 5, baseline);
            AssertFlippedOnlyAfterCatchUp(outward);
            await AssertNoWarmUpTimedOutAsync(sandbox, outward);
            var inward = await ResizeAsync(sandbox, load, 5, 3, baseline);
            AssertFlippedOnlyAfterCatchUp(inward);
            await AssertNoWarmUpTimedOutAsync(sandbox, inward);

            await stop.CancelAsync();
            await running;
            output.WriteLine($"load: {load.Batches} batches, {load.AcknowledgedDeletes} acknowledged deletes, longest gap between replies {load.LongestGap.TotalMilliseconds:0} ms, {load.Errors.Count} errors");
            foreach (var error in load.Errors.Take(10))
                output.WriteLine("  " + error);
            output.WriteLine($"{load.Misses.Count} reads of preloaded keys missed" + string.Concat(load.Misses.Take(20).Select(m => "\n  " + m)));

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
    /// The naive resize other operators do, for comparison and as proof that the hit-ratio check can fail: a
    /// warm-up that cannot finish (capped at 1 byte/s, 1 s timeout) falls back visibly (a WarmUpTimedOut warning, the
    /// ring published anyway) and the moved keys go cold, about two fifths of them for 3 → 5 shards.
    /// </summary>
    [Fact]
    public async Task WarmUpThatCannotFinish_FallsBackVisibly_AndTheMovedKeysGoCold()
    {
        await using var sandbox = await ProductSandbox.StartAsync(output);
        var load = await StartLoadedClusterAsync(sandbox, warmUp: """
              warmUp:
                bytesPerSecond: 1
                timeoutSeconds: 1
            """);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => load.RunAsync(stop.Token));
        try
        {
            var baseline = await BaselineAsync(load);
            var move = await ResizeAsync(sandbox, load, 3, 5, baseline);
            await stop.CancelAsync();
            await running;

            var timedOut = await sandbox.KubectlAsync("get", "events", "--field-selector", "reason=WarmUpTimedOut", "-o", "name");
            Assert.False(string.IsNullOrWhiteSpace(timedOut), "a warm-up that could not finish left no WarmUpTimedOut warning");
            var after = load.HitRatio(move.Finished, move.Finished + AfterMove);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plain resize: hit ratio {after:P2} after the move (baseline {baseline:P2})"));
            Assert.InRange(after, 0.45, 0.75);
            Assert.NotEmpty(move.LowWindows);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    /// <summary>
    /// A 3-shard cluster (with <paramref name="warmUp"/> as its spec.warmUp lines) installed by Helm and kubectl,
    /// and <see cref="Keys"/> keys preloaded through a router.
    /// </summary>
    private async Task<SteadyLoad> StartLoadedClusterAsync(ProductSandbox sandbox, string warmUp)
    {
        await sandbox.InstallOperatorAsync();
        await sandbox.ApplyClusterAsync(Cluster, $"""
            apiVersion: cacheoperator.io/v1alpha1
            kind: CacheCluster
            metadata:
              name: {Cluster}
            spec:
              shards: 3
              memory: {MemoryPerShard}
            {warmUp}
            """);

        var routerIP = await sandbox.RouterIPAsync(Cluster);
        var load = new SteadyLoad(routerIP, Keys, Key, Value);
        var preload = System.Diagnostics.Stopwatch.StartNew();
        await load.PreloadAsync();
        output.WriteLine($"preloaded {Keys} keys through router {routerIP} in {preload.Elapsed.TotalSeconds:0.0} s");
        return load;
    }

    /// <summary>Room for every key on the 3 shards, whatever E2E_RESIZE_KEYS asks (items are under 100 bytes).</summary>
    private static string MemoryPerShard => Keys <= 300_000 ? "64Mi" : "256Mi";

    /// <summary>Starts the load and measures the hit ratio before anything moves.</summary>
    private async Task<double> BaselineAsync(SteadyLoad load)
    {
        await Task.Delay(Baseline);
        var baseline = load.HitRatio(TimeSpan.Zero, load.Elapsed);
        output.WriteLine($"baseline hit ratio {baseline:P2} over {load.Windows(TimeSpan.Zero, load.Elapsed).Count} windows");
        Assert.True(baseline >= 0.99, $"before any move only {baseline:P2} of reads hit: the preload or the load is broken");
        return baseline;
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
        Assert.Equal(to, operation.GetProperty("toShards").GetArrayLength());

        return new Move(name, low, started, finished, operation);
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

    /// <summary>Caught up when the table changed: every stream tailing its source within the allowed lag.</summary>
    private static void AssertFlippedOnlyAfterCatchUp(Move move)
    {
        var transfers = move.Operation.GetProperty("transfers").EnumerateArray().ToList();
        Assert.NotEmpty(transfers);
        Assert.All(transfers, t =>
        {
            Assert.Equal("Tailing", t.GetProperty("phase").GetString());
            Assert.True(t.GetProperty("lagItems").GetInt64() <= 1000, $"{move.Name}: stream {t} was {t.GetProperty("lagItems")} items behind when the ring flipped");
        });
    }

    private static async Task AssertNoWarmUpTimedOutAsync(ProductSandbox sandbox, Move move)
    {
        var timedOut = await sandbox.KubectlAsync("get", "events", "--field-selector", "reason=WarmUpTimedOut", "-o", "name");
        Assert.True(string.IsNullOrWhiteSpace(timedOut), $"a warm-up timed out during {move.Name}: {timedOut}");
    }

    /// <param name="Operation">The orchestration state stored with the ring whose table changed.</param>
    private sealed record Move(string Name, IReadOnlyList<HitWindow> LowWindows, TimeSpan Started, TimeSpan Finished, JsonElement Operation);
}
