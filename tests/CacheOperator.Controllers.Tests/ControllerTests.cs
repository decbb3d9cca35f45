using CacheOperator.Kubernetes.Fakes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Metrics;

namespace CacheOperator.Controllers.Tests;

public sealed class ControllerTests : IAsyncDisposable
{
    private static readonly ControllerOptions Fast = new()
    {
        Workers = 2,
        BaseRetryDelay = TimeSpan.FromMilliseconds(50),
        ShutdownTimeout = TimeSpan.FromSeconds(5),
        Informer = new InformerOptions { InitialRelistDelay = TimeSpan.FromMilliseconds(20) },
    };

    private readonly InMemoryKubernetesClient _client = new();
    private readonly RecordingReconciler _reconciler = new();
    private readonly MetricsRegistry _metrics = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private Task? _run;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
            await _run.WaitAsync(TimeSpan.FromSeconds(20));
        _stop.Dispose();
    }

    private Controller<Widget> Create(ControllerOptions? options = null)
        => new("widgets", _client, _reconciler, options ?? Fast, _metrics);

    private async Task StartAsync(Controller<Widget> controller)
    {
        _run = controller.RunAsync(_stop.Token);
        await Eventually.TrueAsync(() => controller.HasSynced, "caches synced");
    }

    private static ConfigMap ConfigMapOwnedBy(Widget owner, string name, bool controller = true) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = owner.Metadata.Namespace,
            OwnerReferences = [new OwnerReference
            {
                ApiVersion = owner.ApiVersion!, Kind = owner.Kind!, Name = owner.Metadata.Name!,
                Uid = owner.Metadata.Uid!, Controller = controller,
            }],
        },
        Data = new Dictionary<string, string> { ["v"] = "1" },
    };

    [Fact]
    public async Task PrimaryObjects_AreReconciledByKey()
    {
        await _client.CreateAsync(Widget.Named("a"));
        Controller<Widget> controller = Create();
        await StartAsync(controller);

        await _client.CreateAsync(Widget.Named("b", ns: "other"));

        await Eventually.TrueAsync(() => _reconciler.Calls.Count == 2, "both reconciled");
        Assert.Equal([new ObjectKey("default", "a"), new ObjectKey("other", "b")],
            _reconciler.Calls.Select(c => c.Key).Order());
        await Eventually.TrueAsync(() => WorkQueueTests.Scrape(_metrics)
            .Contains("cacheoperator_reconcile_total{controller=\"widgets\",result=\"success\"} 2", StringComparison.Ordinal),
            "the success counter");
    }

    [Fact]
    public async Task OwnedObjectChange_EnqueuesItsControllingOwner()
    {
        Widget owner = await _client.CreateAsync(Widget.Named("owner"));
        Widget bystander = await _client.CreateAsync(Widget.Named("bystander"));
        await _client.CreateAsync(ConfigMapOwnedBy(owner, "owned"));
        await _client.CreateAsync(ConfigMapOwnedBy(bystander, "not-controlled", controller: false));
        Controller<Widget> controller = Create();
        Informer<ConfigMap> configMaps = controller.Owns<ConfigMap>();
        await StartAsync(controller);
        await Eventually.TrueAsync(() => _reconciler.CountFor("owner") >= 1 && _reconciler.CountFor("bystander") >= 1,
            "initial reconciles");
        await Eventually.TrueAsync(() => controller.Queue.Length == 0 && !controller.Queue.IsProcessing, "queue idle");
        int ownerBefore = _reconciler.CountFor("owner");
        int bystanderBefore = _reconciler.CountFor("bystander");

        await _client.PatchAsync<ConfigMap>("default", "not-controlled", Kubernetes.PatchType.Merge, """{"data":{"v":"2"}}""");
        await _client.PatchAsync<ConfigMap>("default", "owned", Kubernetes.PatchType.Merge, """{"data":{"v":"2"}}""");

        await Eventually.TrueAsync(() => _reconciler.CountFor("owner") > ownerBefore, "the owner is reconciled again");
        await Eventually.TrueAsync(() => configMaps.Cache.Get("default", "not-controlled")?.Data?["v"] == "2", "informer saw both");
        await Eventually.TrueAsync(() => controller.Queue.Length == 0 && !controller.Queue.IsProcessing, "queue idle");
        Assert.Equal(bystanderBefore, _reconciler.CountFor("bystander"));
        Assert.Same(configMaps.Cache, controller.CacheOf<ConfigMap>());
    }

    [Fact]
    public async Task OwnedObjectDeleted_EnqueuesItsOwner()
    {
        Widget owner = await _client.CreateAsync(Widget.Named("owner"));
        await _client.CreateAsync(ConfigMapOwnedBy(owner, "owned"));
        Controller<Widget> controller = Create();
        controller.Owns<ConfigMap>();
        await StartAsync(controller);
        await Eventually.TrueAsync(() => _reconciler.CountFor("owner") >= 1, "initial reconcile");
        await Eventually.TrueAsync(() => controller.Queue.Length == 0 && !controller.Queue.IsProcessing, "queue idle");
        int before = _reconciler.CountFor("owner");

        await _client.DeleteAsync<ConfigMap>("default", "owned");

        await Eventually.TrueAsync(() => _reconciler.CountFor("owner") > before, "the owner hears of the delete");
    }

    [Fact]
    public async Task FailingReconcile_IsRetriedWithGrowingBackoff_ThenSucceeds()
    {
        _reconciler.Behaviour = (_, call, _) => call <= 3
            ? throw new InvalidOperationException($"failure {call}")
            : Task.FromResult(ReconcileResult.Done);
        await _client.CreateAsync(Widget.Named("flaky"));
        Controller<Widget> controller = Create();
        await StartAsync(controller);

        await Eventually.TrueAsync(() => _reconciler.CountFor("flaky") == 4, "four attempts");

        var at = _reconciler.Calls.Select(c => c.At).ToArray();
        // Base 50 ms doubling: the retries cannot come sooner than 50, 100 and 200 ms after the failure.
        for (int i = 1; i < at.Length; i++)
        {
            TimeSpan expected = TimeSpan.FromMilliseconds(50 << (i - 1)) - TimeSpan.FromMilliseconds(5);
            Assert.True(at[i] - at[i - 1] >= expected, $"retry {i} came after {at[i] - at[i - 1]}");
        }
        await Eventually.TrueAsync(() => controller.Queue.NumRequeues(new ObjectKey("default", "flaky")) == 0, "backoff reset");
        string scrape = WorkQueueTests.Scrape(_metrics);
        Assert.Contains("cacheoperator_reconcile_errors_total{controller=\"widgets\"} 3", scrape, StringComparison.Ordinal);
        Assert.Contains("cacheoperator_reconcile_total{controller=\"widgets\",result=\"error\"} 3", scrape, StringComparison.Ordinal);
        Assert.Contains("cacheoperator_reconcile_duration_seconds_count{controller=\"widgets\"} 4", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequeueAfter_BringsTheKeyBackAfterTheDelay()
    {
        _reconciler.Behaviour = (_, call, _) => Task.FromResult(call == 1
            ? ReconcileResult.After(TimeSpan.FromMilliseconds(300))
            : ReconcileResult.Done);
        await _client.CreateAsync(Widget.Named("periodic"));
        Controller<Widget> controller = Create();
        await StartAsync(controller);

        await Eventually.TrueAsync(() => _reconciler.CountFor("periodic") == 2, "second visit");

        var at = _reconciler.Calls.Select(c => c.At).ToArray();
        Assert.True(at[1] - at[0] >= TimeSpan.FromMilliseconds(290), $"came back after {at[1] - at[0]}");
        await Task.Delay(400);
        Assert.Equal(2, _reconciler.CountFor("periodic"));
    }

    [Fact]
    public async Task OneKey_IsNeverReconciledConcurrently()
    {
        int running = 0, overlaps = 0;
        _reconciler.Behaviour = async (_, _, ct) =>
        {
            if (Interlocked.Increment(ref running) > 1)
                Interlocked.Increment(ref overlaps);
            await Task.Delay(20, ct);
            Interlocked.Decrement(ref running);
            return ReconcileResult.Done;
        };
        await _client.CreateAsync(Widget.Named("busy"));
        Controller<Widget> controller = Create(Fast with { Workers = 4 });
        await StartAsync(controller);
        await Eventually.TrueAsync(() => _reconciler.CountFor("busy") == 1, "the first reconcile");

        for (int i = 0; i < 20; i++)
            await _client.PatchAsync<Widget>("default", "busy", Kubernetes.PatchType.Merge, $$$"""{"spec":{"size":{{{i + 2}}}}}""");

        await Eventually.TrueAsync(() => controller.Informer.Cache.Get("default", "busy")?.Spec.Size == 21, "all updates seen");
        await Eventually.TrueAsync(() => controller.Queue.Length == 0 && !controller.Queue.IsProcessing, "queue idle");
        Assert.Equal(0, overlaps);
        Assert.InRange(_reconciler.CountFor("busy"), 2, 21);
    }

    [Fact]
    public async Task Shutdown_LetsInFlightReconcileFinish()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        bool sawCancellation = false;
        _reconciler.Behaviour = async (_, _, ct) =>
        {
            started.TrySetResult();
            await release.Task;
            sawCancellation = ct.IsCancellationRequested;
            return ReconcileResult.Done;
        };
        await _client.CreateAsync(Widget.Named("slow"));
        Controller<Widget> controller = Create();
        await StartAsync(controller);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await _stop.CancelAsync();
        await Task.Delay(100);
        Assert.False(_run!.IsCompleted);
        release.SetResult();

        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(sawCancellation);
        Assert.Equal(0, _client.OpenWatchCount);
    }

    [Fact]
    public async Task Shutdown_CancelsReconcilesThatOutliveTheTimeout()
    {
        var started = new TaskCompletionSource();
        _reconciler.Behaviour = async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return ReconcileResult.Done;
        };
        await _client.CreateAsync(Widget.Named("stuck"));
        Controller<Widget> controller = Create(Fast with { ShutdownTimeout = TimeSpan.FromMilliseconds(200) });
        await StartAsync(controller);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await _stop.CancelAsync();

        await _run!.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
