namespace CacheOperator.Metrics.Tests;

public class ConcurrencyTests
{
    private const int Threads = 4;
    private const int PerThread = 200_000;

    [Fact]
    public void Counter_ConcurrentIncrements_SumExactly()
    {
        var registry = new MetricsRegistry();
        ICounter counter = registry.Counter("c_total", "help");

        RunOnThreads(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                counter.Inc();
                counter.Add(2L);
            }
        });

        Assert.Equal(3.0 * Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Counter_ConcurrentFractionalAdds_SumExactly()
    {
        var registry = new MetricsRegistry();
        ICounter counter = registry.Counter("c_total", "help");

        // 0.5 is exact in binary, so the total is exact whatever the interleaving
        RunOnThreads(() =>
        {
            for (int i = 0; i < PerThread; i++)
                counter.Add(0.5);
        });

        Assert.Equal(0.5 * Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Histogram_ConcurrentObservations_CountAndSumExactly()
    {
        var registry = new MetricsRegistry();
        IHistogram histogram = registry.Histogram("h", "help", [1.0, 10.0]);

        RunOnThreads(() =>
        {
            for (int i = 0; i < PerThread; i++)
                histogram.Observe(i % 2 == 0 ? 0.5 : 5);
        });

        string text = registry.Scrape();
        int total = Threads * PerThread;
        Assert.Contains($"h_bucket{{le=\"1\"}} {total / 2}\n", text, StringComparison.Ordinal);
        Assert.Contains($"h_bucket{{le=\"10\"}} {total}\n", text, StringComparison.Ordinal);
        Assert.Contains($"h_count {total}\n", text, StringComparison.Ordinal);
        // 400000 * 0.5 + 400000 * 5 = 2.2e6, exact in binary
        Assert.Contains("h_sum 2.2e+06\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Gauge_ConcurrentIncDec_ReturnsToStart()
    {
        var registry = new MetricsRegistry();
        IGauge gauge = registry.Gauge("g", "help");
        gauge.Set(5);

        RunOnThreads(() =>
        {
            for (int i = 0; i < PerThread / 4; i++)
            {
                gauge.Inc();
                gauge.Dec();
            }
        });

        Assert.Equal(5, gauge.Value);
    }

    [Fact]
    public void Recording_DoesNotAllocate()
    {
        var registry = new MetricsRegistry();
        ICounter counter = registry.Counter("c_total", "help", ("a", "b"));
        IGauge gauge = registry.Gauge("g", "help");
        IHistogram histogram = registry.Histogram("h", "help", [0.001, 0.01, 0.1, 1]);
        counter.Inc();
        gauge.Inc();
        histogram.Observe(0.05);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            counter.Inc();
            counter.Add(3L);
            counter.Add(0.25);
            gauge.Inc();
            gauge.Set(i);
            histogram.Observe(i * 0.0001);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Creation_ConcurrentSameNameAndLabels_ReturnsOneInstrument()
    {
        var registry = new MetricsRegistry();
        var seen = new System.Collections.Concurrent.ConcurrentBag<ICounter>();

        RunOnThreads(() =>
        {
            for (int i = 0; i < 100; i++)
                seen.Add(registry.Counter("c_total", "help", ("k", (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        });

        Assert.Equal(3, seen.Distinct().Count());
    }

    private static void RunOnThreads(Action body)
    {
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            threads[t] = new Thread(() => body()) { IsBackground = true };
            threads[t].Start();
        }
        foreach (Thread thread in threads)
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "worker did not finish");
    }
}
