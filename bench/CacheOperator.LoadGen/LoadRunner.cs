using System.Diagnostics;
using System.Net;

namespace CacheOperator.LoadGen;

/// <summary>Connects, optionally prefills, runs warm-up then measurement, and gathers the result.</summary>
internal static class LoadRunner
{
    /// <summary>Beyond the planned time, how long threads get to notice the stop before the run is abandoned.</summary>
    private static readonly TimeSpan JoinGrace = TimeSpan.FromSeconds(30);

    public static RunResult Run(LoadGenOptions options)
    {
        options.Validate();
        // Verify mode checks every hit against the last version written, so every key must have one.
        if (options.Verify)
            options = options with { Prefill = true };

        long wallStart = Stopwatch.GetTimestamp();
        var endPoint = new IPEndPoint(IPAddress.Parse(options.Host), options.Port);
        var codec = new KeyCodec(options.KeyPrefix, options.KeySize, options.Keys, options.ValueSize);
        var sampler = new ZipfSampler(options.Keys, options.ZipfSkew);
        int[]? versions = options.Verify ? new int[options.Keys] : null;
        var control = new RunControl();

        var workers = new LoadWorker[options.EffectiveThreads];
        for (int i = 0; i < workers.Length; i++)
            workers[i] = new LoadWorker(i, options, control, sampler);
        var connections = new List<LoadConnection>(options.Connections);
        try
        {
            for (int i = 0; i < options.Connections; i++)
            {
                var connection = new LoadConnection(endPoint, i, options, codec, versions);
                connections.Add(connection);
                workers[i % workers.Length].Add(connection);
            }

            long prefillItems = 0;
            double prefillSeconds = 0;
            long prefillFailures = 0;
            string? failure = null;
            if (options.Prefill)
            {
                long start = Stopwatch.GetTimestamp();
                failure = RunThreads(workers, w => w.Prefill, TimeSpan.FromMinutes(10));
                prefillSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                prefillItems = options.Keys;
                prefillFailures = workers.Sum(w => w.PrefillFailures);
            }

            double measured = 0;
            if (failure is null && options.DurationSeconds > 0)
            {
                var threads = workers.Select(w => new Thread(w.Run) { IsBackground = true, Name = "loadgen" }).ToArray();
                foreach (Thread thread in threads)
                    thread.Start();
                Thread.Sleep(TimeSpan.FromSeconds(options.WarmupSeconds));
                control.Phase = RunPhase.Measuring;
                long measureStart = Stopwatch.GetTimestamp();
                Thread.Sleep(TimeSpan.FromSeconds(options.DurationSeconds));
                control.Phase = RunPhase.Stopped;
                measured = Stopwatch.GetElapsedTime(measureStart).TotalSeconds;
                failure = Join(threads, workers, JoinGrace);
            }

            var counters = new WorkerCounters();
            var histogram = new LatencyHistogram();
            foreach (LoadWorker worker in workers)
            {
                counters.Add(worker.Counters);
                histogram.Add(worker.Histogram);
            }
            return new RunResult
            {
                Options = options,
                Counters = counters,
                Latency = histogram,
                MeasuredSeconds = measured,
                WallSeconds = Stopwatch.GetElapsedTime(wallStart).TotalSeconds,
                PrefillItems = prefillItems,
                PrefillSeconds = prefillSeconds,
                PrefillFailures = prefillFailures,
                Failure = failure,
            };
        }
        finally
        {
            foreach (LoadConnection connection in connections)
                connection.Dispose();
        }
    }

    private static string? RunThreads(LoadWorker[] workers, Func<LoadWorker, ThreadStart> body, TimeSpan timeout)
    {
        var threads = workers.Select(w => new Thread(body(w)) { IsBackground = true, Name = "loadgen" }).ToArray();
        foreach (Thread thread in threads)
            thread.Start();
        return Join(threads, workers, timeout);
    }

    private static string? Join(Thread[] threads, LoadWorker[] workers, TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        foreach (Thread thread in threads)
        {
            TimeSpan left = TimeSpan.FromSeconds(Math.Max(0, (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
            if (!thread.Join(left))
                return "a worker did not stop in time (server not answering?)";
        }
        Exception? failure = workers.Select(w => w.Failure).FirstOrDefault(f => f is not null);
        return failure is null ? null : $"{failure.GetType().Name}: {failure.Message}";
    }
}
