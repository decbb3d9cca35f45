using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using CacheOperator.Metrics;

namespace CacheOperator.Controllers.Tests;

public sealed class WorkQueueTests : IDisposable
{
    private readonly WorkQueue<string> _queue = new(new WorkQueueOptions { Name = "test" });

    public void Dispose() => _queue.Dispose();

    private static async Task<string> GetAsync(WorkQueue<string> queue)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (ok, key) = await queue.TryGetAsync(cts.Token);
        Assert.True(ok);
        return key;
    }

    [Fact]
    public async Task Add_OfWaitingKey_QueuesItOnce()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("a");

        Assert.Equal(2, _queue.Length);
        Assert.Equal("a", await GetAsync(_queue));
        Assert.Equal("b", await GetAsync(_queue));
    }

    [Fact]
    public async Task Add_WhileProcessing_IsHandedOutAgainOnlyAfterDone()
    {
        _queue.Add("a");
        string key = await GetAsync(_queue);

        _queue.Add("a");
        Assert.Equal(0, _queue.Length);

        _queue.Done(key);
        Assert.Equal(1, _queue.Length);
        Assert.Equal("a", await GetAsync(_queue));
    }

    [Fact]
    public async Task ManyWorkers_NeverProcessOneKeyConcurrently_AndEveryAddIsSeen()
    {
        var inFlight = new ConcurrentDictionary<string, int>();
        var processedAfterLastAdd = new ConcurrentDictionary<string, bool>();
        int overlaps = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (ok, key) = await _queue.TryGetAsync(cts.Token);
                if (!ok)
                    return;
                if (inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                    Interlocked.Increment(ref overlaps);
                processedAfterLastAdd[key] = true;
                await Task.Yield();
                Thread.SpinWait(200);
                inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
                _queue.Done(key);
            }
        })).ToArray();

        string[] keys = ["a", "b", "c"];
        for (int i = 0; i < 3000; i++)
        {
            string key = keys[i % keys.Length];
            processedAfterLastAdd[key] = false;
            _queue.Add(key);
            if (i % 100 == 0)
                await Task.Yield();
        }
        await Eventually.TrueAsync(() => keys.All(k => processedAfterLastAdd[k]) && _queue.Length == 0 && !_queue.IsProcessing,
            "every key processed after its last add");
        _queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void RetryDelay_DoublesPerFailure_CapsAndResetsOnForget()
    {
        using var queue = new WorkQueue<string>(new WorkQueueOptions
        {
            BaseRetryDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
        });

        var delays = Enumerable.Range(0, 7).Select(_ => queue.NextRetryDelay("k").TotalMilliseconds).ToArray();
        int failures = queue.NumRequeues("k");
        queue.Forget("k");

        Assert.Equal([5, 10, 20, 40, 80, 100, 100], delays);
        Assert.Equal(7, failures);
        Assert.Equal(5, queue.NextRetryDelay("k").TotalMilliseconds);
        Assert.Equal(1, queue.NextRetryDelay("other").TotalMilliseconds / 5);
    }

    [Fact]
    public async Task AddAfter_HandsKeysOutInDueOrder_AndNotBeforeTheirDelay()
    {
        var started = DateTime.UtcNow;
        _queue.AddAfter("late", TimeSpan.FromMilliseconds(400));
        _queue.AddAfter("early", TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, _queue.Length);
        Assert.Equal(2, _queue.DelayedCount);

        string first = await GetAsync(_queue);
        TimeSpan firstAt = DateTime.UtcNow - started;
        string second = await GetAsync(_queue);
        TimeSpan secondAt = DateTime.UtcNow - started;

        Assert.Equal("early", first);
        Assert.Equal("late", second);
        Assert.True(firstAt >= TimeSpan.FromMilliseconds(90), $"early came after {firstAt}");
        Assert.True(secondAt >= TimeSpan.FromMilliseconds(390), $"late came after {secondAt}");
    }

    [Fact]
    public async Task AddAfter_OfWaitingKey_KeepsTheEarlierDueTime()
    {
        _queue.AddAfter("k", TimeSpan.FromSeconds(60));
        _queue.AddAfter("k", TimeSpan.FromMilliseconds(50));
        _queue.AddAfter("k", TimeSpan.FromSeconds(30));

        Assert.Equal("k", await GetAsync(_queue));
        Assert.Equal(0, _queue.DelayedCount);
    }

    [Fact]
    public async Task ShutDown_DrainsQueuedKeys_IgnoresNewOnes_ThenAnswersFalse()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.AddAfter("delayed", TimeSpan.FromMilliseconds(10));

        _queue.ShutDown();
        _queue.Add("c");

        Assert.Equal("a", await GetAsync(_queue));
        Assert.Equal("b", await GetAsync(_queue));
        var (ok, _) = await _queue.TryGetAsync();
        Assert.False(ok);
    }

    [Fact]
    public async Task ShutDown_WakesWaitingWorkers()
    {
        Task<(bool Ok, string Key)> waiting = _queue.TryGetAsync();
        await Task.Delay(20);
        Assert.False(waiting.IsCompleted);

        _queue.ShutDown();

        var (ok, _) = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ok);
    }

    [Fact]
    public async Task Metrics_ReportDepthAndAdds()
    {
        var registry = new MetricsRegistry();
        using var queue = new WorkQueue<string>(new WorkQueueOptions { Name = "m" }, registry);
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        string depthWithTwo = Scrape(registry);
        await GetAsync(queue);

        Assert.Contains("cacheoperator_workqueue_depth{name=\"m\"} 2", depthWithTwo, StringComparison.Ordinal);
        Assert.Contains("cacheoperator_workqueue_depth{name=\"m\"} 1", Scrape(registry), StringComparison.Ordinal);
        Assert.Contains("cacheoperator_workqueue_adds_total{name=\"m\"} 2", Scrape(registry), StringComparison.Ordinal);
    }

    internal static string Scrape(MetricsRegistry registry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        registry.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
