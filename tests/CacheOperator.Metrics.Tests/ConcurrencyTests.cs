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

    [Fact]
    public void Scrape_WhileInstrumentsAreCreated_SeesWholeFamiliesAndFinallyAll()
    {
        var registry = new MetricsRegistry();
        const int perThread = 200;
        using var done = new CancellationTokenSource();
        int scrapes = 0;
        Exception? failure = null;
        var scraper = new Thread(() =>
        {
            try
            {
                ScrapeUntilDone();
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException or ArgumentException)
            {
                // rethrown on the test thread: an exception escaping a thread would take down the test host
                failure = e;
            }
        });
        scraper.Start();

        RunOnThreads(() =>
        {
            string thread = Environment.CurrentManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < perThread; i++)
            {
                string n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                registry.Counter("created_total", "help", ("thread", thread), ("i", n)).Inc();
                registry.Gauge("gauge_" + thread + "_" + n, "help").Set(1);
            }
        });
        done.Cancel();
        Assert.True(scraper.Join(TimeSpan.FromSeconds(60)), "scraper did not finish");
        Assert.Null(failure);
        Assert.True(scrapes > 0);

        string final = registry.Scrape();
        Assert.Equal(Threads * perThread, final.Split('\n').Count(l => l.StartsWith("created_total{", StringComparison.Ordinal)));
        Assert.Equal(Threads * perThread, final.Split('\n').Count(l => l.StartsWith("# TYPE gauge_", StringComparison.Ordinal)));

        void ScrapeUntilDone()
        {
            do
            {
                // every sample line follows the TYPE line of its family
                var typed = new HashSet<string>(StringComparer.Ordinal);
                foreach (string line in registry.Scrape().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                        typed.Add(line.Split(' ')[2]);
                    else if (!line.StartsWith('#'))
                        Assert.Contains(line[..line.IndexOfAny(['{', ' '])], typed);
                }
                scrapes++;
            }
            while (!done.IsCancellationRequested && scrapes < 100_000);
        }
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
