using CacheOperator.Protocol;
using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CacheOperator.Storage;

namespace CacheOperator.Server.Observability;

/// <summary>
/// The memcached "stats" command's output, from the node's metrics and the store's counters, with memcached
/// 1.6.18's names in its order where they apply; our own additions come last in a group. Also the same
/// groups as JSON for the admin endpoint.
/// </summary>
public sealed class StatsReport
{
    /// <summary>Process start in unix seconds, for "uptime".</summary>
    private static readonly long ProcessStartUnixSeconds = ReadProcessStart();

    private readonly NodeMetrics _metrics;
    private readonly CacheStore _store;
    private readonly NodeOptions _options;

    private StatsBaseline _baseline = StatsBaseline.Zero;

    public StatsReport(NodeMetrics metrics, CacheStore store, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics;
        _store = store;
        _options = options;
    }

    private enum Group
    {
        General,
        Settings,
        Items,
        Slabs,
        /// <summary>Ours ("stats engine"): the segment store's own figures, which memcached has no names for.</summary>
        Engine,
    }

    /// <summary>
    /// Writes "STAT name value\r\n" lines and "END\r\n" for the group ("" general, "items", "slabs",
    /// "settings"); false for a group it does not know, with nothing written. "conns" is not known: the
    /// sessions are not tracked here, so it is answered like any unknown group.
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> group, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Group which;
        if (group.IsEmpty)
            which = Group.General;
        else if (group.SequenceEqual("settings"u8))
            which = Group.Settings;
        else if (group.SequenceEqual("items"u8))
            which = Group.Items;
        else if (group.SequenceEqual("slabs"u8))
            which = Group.Slabs;
        else if (group.SequenceEqual("engine"u8))
            which = Group.Engine;
        else
            return false;

        var sink = new TextStatsSink(output);
        Write(which, ref sink, _store.GetStats());
        sink.End();
        return true;
    }

    /// <summary>"stats reset": later reports count from now (the Prometheus counters are not touched).</summary>
    public void Reset()
    {
        var commands = new long[CommandLabels.KindCount * CommandLabels.ResultCount];
        foreach (CommandType kind in Enum.GetValues<CommandType>())
        {
            foreach (CommandResult result in Enum.GetValues<CommandResult>())
                commands[Index(kind, result)] = _metrics.CommandCount(kind, result);
        }
        var baseline = new StatsBaseline(commands, (long)_metrics.TotalConnections, (long)_metrics.RejectedConnections,
            (long)_metrics.BytesRead, (long)_metrics.BytesWritten, _store.GetStats());
        Volatile.Write(ref _baseline, baseline);
    }

    /// <summary>Every group as one JSON object (for the admin /stats endpoint).</summary>
    public StatsDocument CreateDocument()
    {
        var document = new StatsDocument();
        CacheStoreStats store = _store.GetStats();
        var general = new JsonStatsSink(document.General);
        Write(Group.General, ref general, store);
        var settings = new JsonStatsSink(document.Settings);
        Write(Group.Settings, ref settings, store);
        var items = new JsonStatsSink(document.Items);
        Write(Group.Items, ref items, store);
        var slabs = new JsonStatsSink(document.Slabs);
        Write(Group.Slabs, ref slabs, store);
        var engine = new JsonStatsSink(document.Engine);
        Write(Group.Engine, ref engine, store);
        return document;
    }

    /// <summary>Writes <see cref="CreateDocument"/> as UTF-8 JSON.</summary>
    public void WriteJson(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output);
        JsonSerializer.Serialize(writer, CreateDocument(), StatsJsonContext.Default.StatsDocument);
    }

    private void Write<TSink>(Group group, ref TSink sink, CacheStoreStats store) where TSink : struct, IStatsSink
    {
        switch (group)
        {
            case Group.General:
                WriteGeneral(ref sink, store);
                break;
            case Group.Settings:
                WriteSettings(ref sink, store);
                break;
            case Group.Items:
                WriteItems(ref sink, store);
                break;
            case Group.Engine:
                WriteEngine(ref sink, store);
                break;
            default:
                WriteSlabs(ref sink, store);
                break;
        }
    }

    private void WriteGeneral<TSink>(ref TSink sink, CacheStoreStats store) where TSink : struct, IStatsSink
    {
        StatsBaseline baseline = Volatile.Read(ref _baseline);
        long now = _store.Clock.UnixSeconds;
        (double user, double system) = ReadProcessorTime();
        long connections = _metrics.CurrentConnections;

        sink.Add("pid"u8, Environment.ProcessId);
        sink.Add("uptime"u8, Math.Max(0, now - ProcessStartUnixSeconds));
        sink.Add("time"u8, now);
        // the memcached version we are compatible with, as the version command answers
        sink.Add("version"u8, "1.6.18"u8);
        // memcached's name set and order, so tools that parse "stats" find every field they expect; fields
        // about machinery we do not have (libevent, slab reassignment, log watchers) report none or 0.
        sink.Add("libevent"u8, "none"u8);
        sink.Add("pointer_size"u8, IntPtr.Size * 8);
        sink.Add("rusage_user"u8, user, 6);
        sink.Add("rusage_system"u8, system, 6);
        sink.Add("max_connections"u8, _options.MaxConnections);
        sink.Add("curr_connections"u8, connections);
        sink.Add("total_connections"u8, (long)_metrics.TotalConnections - baseline.TotalConnections);
        sink.Add("rejected_connections"u8, (long)_metrics.RejectedConnections - baseline.RejectedConnections);
        // memcached counts the listening socket's structure too
        sink.Add("connection_structures"u8, connections + 1);
        sink.Add("response_obj_oom"u8, 0);
        sink.Add("response_obj_count"u8, 0);
        sink.Add("response_obj_bytes"u8, 0);
        sink.Add("read_buf_count"u8, 0);
        sink.Add("read_buf_bytes"u8, 0);
        sink.Add("read_buf_bytes_free"u8, 0);
        sink.Add("read_buf_oom"u8, 0);
        sink.Add("reserved_fds"u8, 0);

        sink.Add("cmd_get"u8, Sum(baseline, ReadKinds, HitOrMiss));
        sink.Add("cmd_set"u8, Sum(baseline, StoreKinds, Answered));
        sink.Add("cmd_flush"u8, Sum(baseline, [CommandType.FlushAll], Answered));
        sink.Add("cmd_touch"u8, Sum(baseline, TouchKinds, HitOrMiss) + Sum(baseline, [CommandType.Touch], TouchedOrNot));
        sink.Add("cmd_meta"u8, Sum(baseline, MetaKinds, AllResults));
        sink.Add("get_hits"u8, Sum(baseline, ReadKinds, [CommandResult.Hit]));
        sink.Add("get_misses"u8, Sum(baseline, ReadKinds, [CommandResult.Miss]));
        // the store reports neither: an expired or flushed item is simply a miss
        sink.Add("get_expired"u8, 0);
        sink.Add("get_flushed"u8, 0);
        sink.Add("delete_misses"u8, Sum(baseline, DeleteKinds, Absent));
        sink.Add("delete_hits"u8, Sum(baseline, DeleteKinds, [CommandResult.Deleted, CommandResult.Hit]));
        // ma is counted as incr: its mode (MI or MD) does not reach the metrics
        sink.Add("incr_misses"u8, Sum(baseline, [CommandType.Incr, CommandType.MetaArithmetic], Absent));
        sink.Add("incr_hits"u8, Sum(baseline, [CommandType.Incr, CommandType.MetaArithmetic], ArithmeticDone));
        sink.Add("decr_misses"u8, Sum(baseline, [CommandType.Decr], Absent));
        sink.Add("decr_hits"u8, Sum(baseline, [CommandType.Decr], ArithmeticDone));
        sink.Add("cas_misses"u8, Sum(baseline, [CommandType.Cas], Absent));
        sink.Add("cas_hits"u8, Sum(baseline, [CommandType.Cas], [CommandResult.Stored]));
        sink.Add("cas_badval"u8, Sum(baseline, [CommandType.Cas], [CommandResult.Exists]));
        sink.Add("touch_hits"u8, Sum(baseline, TouchKinds, [CommandResult.Hit]) + Sum(baseline, [CommandType.Touch], [CommandResult.Touched, CommandResult.Hit]));
        sink.Add("touch_misses"u8, Sum(baseline, TouchKinds, [CommandResult.Miss]) + Sum(baseline, [CommandType.Touch], Absent));
        // a store's SERVER_ERROR is "too large" or "out of memory", which the metrics cannot tell apart; the
        // segment store runs out of memory only when every segment is pinned, so count them all as too large
        sink.Add("store_too_large"u8, Sum(baseline, StoreKinds, [CommandResult.ServerError]));
        sink.Add("store_no_memory"u8, 0);
        sink.Add("auth_cmds"u8, 0);
        sink.Add("auth_errors"u8, 0);
        sink.Add("bytes_read"u8, (long)_metrics.BytesRead - baseline.BytesRead);
        sink.Add("bytes_written"u8, (long)_metrics.BytesWritten - baseline.BytesWritten);
        sink.Add("limit_maxbytes"u8, store.LimitMaxBytes);
        sink.Add("accepting_conns"u8, 1);
        sink.Add("listen_disabled_num"u8, 0);
        sink.Add("time_in_listen_disabled_us"u8, 0);
        sink.Add("threads"u8, _options.Threads);
        sink.Add("conn_yields"u8, 0);
        sink.Add("hash_power_level"u8, HashPowerLevel(store));
        sink.Add("hash_bytes"u8, store.IndexBytes);
        sink.Add("hash_is_expanding"u8, 0);
        sink.Add("slab_reassign_rescues"u8, 0);
        sink.Add("slab_reassign_chunk_rescues"u8, 0);
        sink.Add("slab_reassign_evictions_nomem"u8, 0);
        sink.Add("slab_reassign_inline_reclaim"u8, 0);
        sink.Add("slab_reassign_busy_items"u8, 0);
        sink.Add("slab_reassign_busy_deletes"u8, 0);
        sink.Add("slab_reassign_running"u8, 0);
        sink.Add("slabs_moved"u8, 0);
        sink.Add("lru_crawler_running"u8, 0);
        sink.Add("lru_crawler_starts"u8, store.CrawlerRuns - baseline.Store.CrawlerRuns);
        sink.Add("lru_maintainer_juggles"u8, 0);
        sink.Add("malloc_fails"u8, 0);
        sink.Add("log_worker_dropped"u8, 0);
        sink.Add("log_worker_written"u8, 0);
        sink.Add("log_watcher_skipped"u8, 0);
        sink.Add("log_watcher_sent"u8, 0);
        sink.Add("log_watchers"u8, 0);
        sink.Add("unexpected_napi_ids"u8, 0);
        sink.Add("round_robin_fallback"u8, 0);
        sink.Add("bytes"u8, store.Bytes);
        sink.Add("curr_items"u8, store.CurrentItems);
        sink.Add("total_items"u8, store.TotalItems - baseline.Store.TotalItems);
        sink.Add("slab_global_page_pool"u8, store.SegmentsFree);
        sink.Add("expired_unfetched"u8, store.ExpiredUnfetched - baseline.Store.ExpiredUnfetched);
        sink.Add("evicted_unfetched"u8, store.EvictedUnfetched - baseline.Store.EvictedUnfetched);
        sink.Add("evicted_active"u8, 0);
        sink.Add("evictions"u8, store.Evictions - baseline.Store.Evictions);
        sink.Add("reclaimed"u8, store.Reclaimed - baseline.Store.Reclaimed);
        sink.Add("crawler_reclaimed"u8, 0);
        sink.Add("crawler_items_checked"u8, 0);
        sink.Add("lrutail_reflocked"u8, 0);
        sink.Add("moves_to_cold"u8, 0);
        sink.Add("moves_to_warm"u8, store.Promotions - baseline.Store.Promotions);
        sink.Add("moves_within_lru"u8, store.ItemsMoved - baseline.Store.ItemsMoved);
        sink.Add("direct_reclaims"u8, 0);
        sink.Add("lru_bumps_dropped"u8, 0);
    }

    /// <summary>"stats engine": the segment store has no slab classes; these are its own figures.</summary>
    private void WriteEngine<TSink>(ref TSink sink, CacheStoreStats store) where TSink : struct, IStatsSink
    {
        StatsBaseline baseline = Volatile.Read(ref _baseline);
        sink.Add("segment_size"u8, store.SegmentSize);
        sink.Add("segments_allocated"u8, store.SegmentsAllocated);
        sink.Add("segments_free"u8, store.SegmentsFree);
        sink.Add("segments_open"u8, NodeMetrics.OpenSegments(store));
        sink.Add("segments_probation"u8, store.ProbationSegments);
        sink.Add("segments_main"u8, store.MainSegments);
        sink.Add("allocated_bytes"u8, store.AllocatedBytes);
        sink.Add("dead_bytes"u8, store.DeadBytes);
        sink.Add("promotions"u8, store.Promotions - baseline.Store.Promotions);
        sink.Add("items_moved"u8, store.ItemsMoved - baseline.Store.ItemsMoved);
        sink.Add("compactions"u8, store.Compactions - baseline.Store.Compactions);
        sink.Add("index_bytes"u8, store.IndexBytes);
    }

    /// <summary>memcached's hash_power_level: log2 of the index's slots (all partitions together).</summary>
    private static int HashPowerLevel(CacheStoreStats store)
        => store.IndexBytes <= 0 ? 0 : (int)Math.Log2(Math.Max(1, store.IndexBytes / (sizeof(ulong) + sizeof(uint))));

    private void WriteSettings<TSink>(ref TSink sink, CacheStoreStats store) where TSink : struct, IStatsSink
    {
        sink.Add("maxbytes"u8, store.LimitMaxBytes);
        sink.Add("maxconns"u8, _options.MaxConnections);
        sink.Add("tcpport"u8, _options.Port);
        sink.Add("udpport"u8, 0);
        sink.Add("inter"u8, Encoding.UTF8.GetBytes(_options.ListenAddress));
        sink.Add("verbosity"u8, _options.Verbosity);
        sink.Add("oldest"u8, 0);
        sink.Add("evictions"u8, "on"u8);
        sink.Add("domain_socket"u8, "NULL"u8);
        sink.Add("umask"u8, "700"u8);
        sink.Add("shutdown_command"u8, "no"u8);
        sink.Add("num_threads"u8, _options.Threads);
        sink.Add("stat_key_prefix"u8, ":"u8);
        sink.Add("detail_enabled"u8, "no"u8);
        sink.Add("cas_enabled"u8, "yes"u8);
        sink.Add("binding_protocol"u8, "ascii"u8);
        sink.Add("auth_enabled_sasl"u8, "no"u8);
        sink.Add("auth_enabled_ascii"u8, "no"u8);
        sink.Add("item_size_max"u8, _store.Options.MaxItemSize);
        sink.Add("maxconns_fast"u8, "yes"u8);
        sink.Add("slab_reassign"u8, "no"u8);
        sink.Add("slab_automove"u8, 0);
        sink.Add("lru_crawler"u8, _store.Options.EnableCrawler ? "yes"u8 : "no"u8);
        sink.Add("tail_repair_time"u8, 0);
        sink.Add("flush_enabled"u8, "yes"u8);
        sink.Add("dump_enabled"u8, "no"u8);
        sink.Add("lru_segmented"u8, "no"u8);
        sink.Add("temp_lru"u8, "no"u8);
        sink.Add("idle_timeout"u8, 0);
        // ours
        sink.Add("eviction_policy"u8, "s3-fifo"u8);
        sink.Add("segment_size"u8, store.SegmentSize);
        sink.Add("crawler_interval_ms"u8, (long)_store.Options.CrawlerInterval.TotalMilliseconds);
        sink.Add("index_partitions"u8, _store.Options.Partitions);
        sink.Add("max_line_length"u8, _options.MaxLineLength);
    }

    /// <summary>
    /// The store has no slab classes and keeps item counts for the whole store, not per queue, so "stats
    /// items" reports one pseudo-class (1) holding every item; like memcached, nothing when it is empty.
    /// </summary>
    private void WriteItems<TSink>(ref TSink sink, CacheStoreStats store) where TSink : struct, IStatsSink
    {
        if (store.CurrentItems == 0)
            return;
        StatsBaseline baseline = Volatile.Read(ref _baseline);
        Span<byte> name = stackalloc byte[64];
        sink.Add(Prefixed(name, "items:1:"u8, "number"u8), store.CurrentItems);
        sink.Add(Prefixed(name, "items:1:"u8, "mem_requested"u8), store.Bytes);
        sink.Add(Prefixed(name, "items:1:"u8, "evicted"u8), store.Evictions - baseline.Store.Evictions);
        sink.Add(Prefixed(name, "items:1:"u8, "outofmemory"u8), 0);
        sink.Add(Prefixed(name, "items:1:"u8, "reclaimed"u8), store.Reclaimed - baseline.Store.Reclaimed);
        sink.Add(Prefixed(name, "items:1:"u8, "expired_unfetched"u8), store.ExpiredUnfetched - baseline.Store.ExpiredUnfetched);
        sink.Add(Prefixed(name, "items:1:"u8, "evicted_unfetched"u8), store.EvictedUnfetched - baseline.Store.EvictedUnfetched);
        // a promotion from probation to main is what memcached's segmented LRU calls a move to warm
        sink.Add(Prefixed(name, "items:1:"u8, "moves_to_warm"u8), store.Promotions - baseline.Store.Promotions);
    }

    /// <summary>
    /// The store has no slab classes: items live in segments in two queues, probation (new items) and main
    /// (items read again), plus the segments still being filled. "stats slabs" reports one pseudo-class per
    /// queue, 1 probation, 2 main and 3 open, with a segment as its page and its chunk; classes without
    /// segments are left out, as memcached leaves out classes without pages.
    /// </summary>
    private static void WriteSlabs<TSink>(ref TSink sink, CacheStoreStats store) where TSink : struct, IStatsSink
    {
        int active = 0;
        if (store.ProbationSegments > 0)
        {
            WriteSlabClass(ref sink, "1:"u8, store.SegmentSize, store.ProbationSegments);
            active++;
        }
        if (store.MainSegments > 0)
        {
            WriteSlabClass(ref sink, "2:"u8, store.SegmentSize, store.MainSegments);
            active++;
        }
        int open = NodeMetrics.OpenSegments(store);
        if (open > 0)
        {
            WriteSlabClass(ref sink, "3:"u8, store.SegmentSize, open);
            active++;
        }
        sink.Add("active_slabs"u8, active);
        sink.Add("total_malloced"u8, store.AllocatedBytes);
    }

    private static void WriteSlabClass<TSink>(ref TSink sink, ReadOnlySpan<byte> prefix, int segmentSize, int segments)
        where TSink : struct, IStatsSink
    {
        Span<byte> name = stackalloc byte[64];
        sink.Add(Prefixed(name, prefix, "chunk_size"u8), segmentSize);
        sink.Add(Prefixed(name, prefix, "chunks_per_page"u8), 1);
        sink.Add(Prefixed(name, prefix, "total_pages"u8), segments);
        sink.Add(Prefixed(name, prefix, "total_chunks"u8), segments);
        sink.Add(Prefixed(name, prefix, "used_chunks"u8), segments);
        sink.Add(Prefixed(name, prefix, "free_chunks"u8), 0);
        sink.Add(Prefixed(name, prefix, "free_chunks_end"u8), 0);
    }

    private static ReadOnlySpan<CommandType> ReadKinds => [CommandType.Get, CommandType.Gets, CommandType.MetaGet];

    private static ReadOnlySpan<CommandType> TouchKinds => [CommandType.Gat, CommandType.Gats];

    private static ReadOnlySpan<CommandType> StoreKinds =>
    [
        CommandType.Set, CommandType.Add, CommandType.Replace, CommandType.Append, CommandType.Prepend, CommandType.Cas,
        CommandType.MetaSet,
    ];

    private static ReadOnlySpan<CommandType> DeleteKinds => [CommandType.Delete, CommandType.MetaDelete];

    private static ReadOnlySpan<CommandType> MetaKinds =>
    [
        CommandType.MetaGet, CommandType.MetaSet, CommandType.MetaDelete, CommandType.MetaArithmetic, CommandType.MetaNoop,
        CommandType.MetaDebug,
    ];

    private static ReadOnlySpan<CommandResult> HitOrMiss => [CommandResult.Hit, CommandResult.Miss];

    private static ReadOnlySpan<CommandResult> TouchedOrNot =>
        [CommandResult.Touched, CommandResult.Hit, CommandResult.NotFound, CommandResult.Miss];

    private static ReadOnlySpan<CommandResult> Absent => [CommandResult.NotFound, CommandResult.Miss];

    private static ReadOnlySpan<CommandResult> ArithmeticDone => [CommandResult.Hit, CommandResult.Ok, CommandResult.Stored];

    /// <summary>Every result but a client error: memcached counts a command once it has parsed it.</summary>
    private static ReadOnlySpan<CommandResult> Answered =>
    [
        CommandResult.Hit, CommandResult.Miss, CommandResult.Stored, CommandResult.NotStored, CommandResult.Exists,
        CommandResult.NotFound, CommandResult.Deleted, CommandResult.Touched, CommandResult.Ok, CommandResult.ServerError,
    ];

    private static ReadOnlySpan<CommandResult> AllResults =>
    [
        CommandResult.Hit, CommandResult.Miss, CommandResult.Stored, CommandResult.NotStored, CommandResult.Exists,
        CommandResult.NotFound, CommandResult.Deleted, CommandResult.Touched, CommandResult.Ok, CommandResult.ClientError,
        CommandResult.ServerError,
    ];

    private long Sum(StatsBaseline baseline, ReadOnlySpan<CommandType> kinds, ReadOnlySpan<CommandResult> results)
    {
        long total = 0;
        foreach (CommandType kind in kinds)
        {
            foreach (CommandResult result in results)
                total += _metrics.CommandCount(kind, result) - baseline.Command(Index(kind, result));
        }
        return total;
    }

    private static int Index(CommandType kind, CommandResult result) => (int)kind * CommandLabels.ResultCount + (int)result;

    private static ReadOnlySpan<byte> Prefixed(Span<byte> buffer, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> name)
    {
        prefix.CopyTo(buffer);
        name.CopyTo(buffer[prefix.Length..]);
        return buffer[..(prefix.Length + name.Length)];
    }

    private static (double User, double System) ReadProcessorTime()
    {
        using Process process = Process.GetCurrentProcess();
        return (process.UserProcessorTime.TotalSeconds, process.PrivilegedProcessorTime.TotalSeconds);
    }

    private static long ReadProcessStart()
    {
        using Process process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeSeconds();
    }
}
