using System.Diagnostics;
using CacheOperator.Metrics;

namespace CacheOperator.Server.Observability;

/// <summary>
/// The process_* and dotnet_* series every Prometheus client library exposes by default, under the names
/// dashboards expect, so a node or a router looks like any other .NET service next to its own metrics. The thread
/// pool series use OpenTelemetry's runtime names: work items queued to the pool are what an I/O thread hands off, and
/// both roles are built to hand off none per request.
/// </summary>
public sealed class ProcessMetrics
{
    private static readonly double StartTimeSeconds = ReadStartTime();

    /// <summary>CPU seconds and resident bytes, read once per scrape.</summary>
    private (double CpuSeconds, long ResidentBytes) _snapshot;

    private ProcessMetrics()
    {
    }

    public static void Register(IMetricsFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var metrics = new ProcessMetrics();
        factory.AddBeforeScrape(metrics.Refresh);
        factory.GaugeFunc("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", () => StartTimeSeconds);
        factory.CounterFunc("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", () => metrics._snapshot.CpuSeconds);
        factory.GaugeFunc("process_resident_memory_bytes", "Resident memory size in bytes.", () => metrics._snapshot.ResidentBytes);
        factory.GaugeFunc("dotnet_gc_heap_bytes", "Bytes the GC heap holds, live and not yet collected.", () => GC.GetTotalMemory(false));
        factory.CounterFunc("dotnet_gc_allocated_bytes_total", "Bytes allocated on the GC heap since start.", () => GC.GetTotalAllocatedBytes());
        factory.GaugeFunc("dotnet_thread_pool_thread_count", "Threads in the thread pool.", () => ThreadPool.ThreadCount);
        factory.CounterFunc("dotnet_thread_pool_work_item_count_total", "Work items the thread pool has run since start.",
            () => ThreadPool.CompletedWorkItemCount);
        factory.GaugeFunc("dotnet_thread_pool_queue_length", "Work items queued to the thread pool and not yet started.",
            () => ThreadPool.PendingWorkItemCount);
        for (int generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            int g = generation;
            factory.CounterFunc("dotnet_gc_collections_total", "Garbage collections, by generation.", () => GC.CollectionCount(g),
                ("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private void Refresh()
    {
        using Process process = Process.GetCurrentProcess();
        _snapshot = (process.TotalProcessorTime.TotalSeconds, process.WorkingSet64);
    }

    private static double ReadStartTime()
    {
        using Process process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeMilliseconds() / 1000.0;
    }
}
