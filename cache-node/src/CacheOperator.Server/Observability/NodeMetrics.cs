using CacheOperator.Protocol;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using CacheOperator.Metrics;
using CacheOperator.Server.Session;
using CacheOperator.Storage;

namespace CacheOperator.Server.Observability;

/// <summary>
/// The node's instruments; one per node, thread-safe, allocation-free recording. Every (command, result)
/// counter and per-command histogram sits in an array, so recording is an index and a striped increment.
/// Results: reads end Hit or Miss; stores Stored, NotStored, Exists (cas mismatch) or NotFound (cas on a
/// missing key); deletes Deleted or NotFound; incr/decr Hit or Miss (ma: NotFound); touch Touched or NotFound.
/// </summary>
public sealed class NodeMetrics
{
    /// <summary>Latency buckets from 10µs to 1s, about three per decade.</summary>
    private static readonly double[] DurationBuckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private static readonly double SecondsPerTick = 1.0 / Stopwatch.Frequency;

    private readonly IMetricsFactory _factory;

    /// <summary>Indexed by kind * ResultCount + result; null until first use for unexpected pairs.</summary>
    private readonly ICounter?[] _commands = new ICounter?[CommandLabels.KindCount * CommandLabels.ResultCount];

    /// <summary>Indexed by kind; null until first use for commands that are not data commands.</summary>
    private readonly IHistogram?[] _durations = new IHistogram?[CommandLabels.KindCount];

    private readonly ICounter _connectionsTotal;
    private readonly ICounter _connectionsRejected;
    private readonly ICounter _bytesRead;
    private readonly ICounter _bytesWritten;

    private long _currentConnections;

    /// <summary>The store's counters, read once per scrape for all the callback instruments.</summary>
    private CacheStoreStats _storeStats = new();

    public NodeMetrics(IMetricsFactory factory, CacheStore store, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _factory = factory;

        foreach (CommandType kind in Enum.GetValues<CommandType>())
        {
            foreach (CommandResult result in CommandLabels.Expected(kind))
                _commands[Index(kind, result)] = CreateCommandCounter(kind, result);
            if (CommandLabels.IsDataCommand(kind))
                _durations[(int)kind] = CreateDurationHistogram(kind);
        }

        factory.GaugeFunc("cachenode_connections", "Client connections open now.", () => Volatile.Read(ref _currentConnections));
        _connectionsTotal = factory.Counter("cachenode_connections_total", "Client connections accepted.");
        _connectionsRejected = factory.Counter("cachenode_connections_rejected_total",
            "Client connections refused because the connection limit was reached.");
        factory.GaugeFunc("cachenode_connections_limit", "Most client connections allowed at once.", () => options.MaxConnections);
        _bytesRead = factory.Counter("cachenode_read_bytes_total", "Bytes read from clients.");
        _bytesWritten = factory.Counter("cachenode_written_bytes_total", "Bytes written to clients.");

        factory.AddBeforeScrape(() => Volatile.Write(ref _storeStats, store.GetStats()));
        factory.GaugeFunc("cachenode_items", "Items stored now.", () => StoreStats.CurrentItems);
        factory.CounterFunc("cachenode_items_stored_total", "Items stored since start.", () => StoreStats.TotalItems);
        factory.GaugeFunc("cachenode_item_bytes", "Bytes of live items: header, key and value.", () => StoreStats.Bytes);
        factory.GaugeFunc("cachenode_memory_limit_bytes", "Item memory bound (-m).", () => StoreStats.LimitMaxBytes);
        factory.GaugeFunc("cachenode_memory_allocated_bytes", "Item memory allocated as segments.", () => StoreStats.AllocatedBytes);
        factory.GaugeFunc("cachenode_memory_dead_bytes", "Segment bytes held by overwritten, deleted or expired items.",
            () => StoreStats.DeadBytes);
        factory.GaugeFunc("cachenode_index_bytes", "Bytes of the key index (outside the item memory bound).", () => StoreStats.IndexBytes);
        factory.GaugeFunc("cachenode_segment_size_bytes", "Size of one item segment.", () => StoreStats.SegmentSize);
        const string segmentsHelp =
            "Item segments by queue: open (being filled), probation (new items), main (items read again), free (allocated, empty).";
        factory.GaugeFunc("cachenode_segments", segmentsHelp, () => OpenSegments(StoreStats), ("queue", "open"));
        factory.GaugeFunc("cachenode_segments", segmentsHelp, () => StoreStats.ProbationSegments, ("queue", "probation"));
        factory.GaugeFunc("cachenode_segments", segmentsHelp, () => StoreStats.MainSegments, ("queue", "main"));
        factory.GaugeFunc("cachenode_segments", segmentsHelp, () => StoreStats.SegmentsFree, ("queue", "free"));
        factory.CounterFunc("cachenode_evictions_total", "Live items removed to make room.", () => StoreStats.Evictions);
        factory.CounterFunc("cachenode_evicted_unfetched_total", "Evicted items that were never read.", () => StoreStats.EvictedUnfetched);
        factory.CounterFunc("cachenode_expired_items_reclaimed_total", "Expired or flushed items whose memory was reclaimed.",
            () => StoreStats.Reclaimed);
        factory.CounterFunc("cachenode_expired_unfetched_total", "Expired items that were never read.", () => StoreStats.ExpiredUnfetched);
        factory.CounterFunc("cachenode_promotions_total", "Items moved from the probation queue to the main queue.", () => StoreStats.Promotions);
        factory.CounterFunc("cachenode_items_moved_total", "Live items copied forward by eviction or compaction.", () => StoreStats.ItemsMoved);
        factory.CounterFunc("cachenode_compactions_total", "Segments freed by compaction rather than eviction.", () => StoreStats.Compactions);
        factory.CounterFunc("cachenode_crawler_runs_total", "Completed passes of the expiry crawler.", () => StoreStats.CrawlerRuns);

        ProcessMetrics.Register(factory);
    }

    public long CurrentConnections => Volatile.Read(ref _currentConnections);

    internal double TotalConnections => _connectionsTotal.Value;

    internal double RejectedConnections => _connectionsRejected.Value;

    internal double BytesRead => _bytesRead.Value;

    internal double BytesWritten => _bytesWritten.Value;

    private CacheStoreStats StoreStats => Volatile.Read(ref _storeStats);

    /// <summary>Counts one command; multi-key gets call this once per key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordCommand(CommandType kind, CommandResult result)
    {
        // an undefined enum value is dropped rather than counted as some other pair
        if ((uint)kind >= (uint)CommandLabels.KindCount || (uint)result >= (uint)CommandLabels.ResultCount)
            return;
        int index = Index(kind, result);
        ICounter counter = _commands[index] ?? ResolveCommandCounter(kind, result, index);
        counter.Inc();
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void RecordLatency(CommandType kind, long startTimestamp)
    {
        double seconds = (Stopwatch.GetTimestamp() - startTimestamp) * SecondsPerTick;
        if ((uint)kind >= (uint)_durations.Length)
            return;
        IHistogram? histogram = _durations[(int)kind] ?? ResolveDurationHistogram(kind);
        histogram.Observe(seconds);
    }

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _currentConnections);
        _connectionsTotal.Inc();
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _currentConnections);

    public void ConnectionRejected() => _connectionsRejected.Inc();

    public void AddBytesRead(long count) => _bytesRead.Add(count);

    public void AddBytesWritten(long count) => _bytesWritten.Add(count);

    /// <summary>How many times <paramref name="kind"/> ended with <paramref name="result"/> since start.</summary>
    internal long CommandCount(CommandType kind, CommandResult result)
        => (long)(_commands[Index(kind, result)]?.Value ?? 0);

    /// <summary>Segments being appended to: allocated ones in no queue (at most one per queue).</summary>
    internal static int OpenSegments(CacheStoreStats stats)
        => Math.Max(0, stats.SegmentsAllocated - stats.SegmentsFree - stats.ProbationSegments - stats.MainSegments);

    private static int Index(CommandType kind, CommandResult result) => (int)kind * CommandLabels.ResultCount + (int)result;

    // The registry hands back the same instrument for the same labels, so a race here only stores it twice.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ICounter ResolveCommandCounter(CommandType kind, CommandResult result, int index)
        => _commands[index] = CreateCommandCounter(kind, result);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private IHistogram ResolveDurationHistogram(CommandType kind) => _durations[(int)kind] = CreateDurationHistogram(kind);

    private ICounter CreateCommandCounter(CommandType kind, CommandResult result)
        => _factory.Counter("cachenode_commands_total", "Commands answered, by command and result (multi-key gets count each key).",
            ("command", CommandLabels.Of(kind)), ("result", CommandLabels.Of(result)));

    private IHistogram CreateDurationHistogram(CommandType kind)
        => _factory.Histogram("cachenode_command_duration_seconds",
            "Time to execute a parsed command and queue its reply, sampled: the commands of one read in " +
            $"{MemcachedSession.LatencySampleInterval} per connection (the first always); cachenode_commands_total counts them all.",
            DurationBuckets, ("command", CommandLabels.Of(kind)));
}
