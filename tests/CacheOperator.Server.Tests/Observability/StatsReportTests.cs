using CacheOperator.Protocol;
using System.Buffers;
using System.Text;
using System.Text.Json;
using CacheOperator.Server.Observability;

namespace CacheOperator.Server.Tests.Observability;

public sealed class StatsReportTests : IDisposable
{
    /// <summary>The general stats memcached 1.6.18 prints, in its order (captured from /usr/bin/memcached).</summary>
    private static readonly string[] MemcachedGeneralOrder =
    [
        "pid", "uptime", "time", "version", "libevent", "pointer_size", "rusage_user", "rusage_system", "max_connections",
        "curr_connections", "total_connections", "rejected_connections", "connection_structures", "response_obj_oom",
        "response_obj_count", "response_obj_bytes", "read_buf_count", "read_buf_bytes", "read_buf_bytes_free",
        "read_buf_oom", "reserved_fds", "cmd_get", "cmd_set", "cmd_flush", "cmd_touch", "cmd_meta", "get_hits",
        "get_misses", "get_expired", "get_flushed", "delete_misses", "delete_hits", "incr_misses", "incr_hits",
        "decr_misses", "decr_hits", "cas_misses", "cas_hits", "cas_badval", "touch_hits", "touch_misses",
        "store_too_large", "store_no_memory", "auth_cmds", "auth_errors", "bytes_read", "bytes_written",
        "limit_maxbytes", "accepting_conns", "listen_disabled_num", "time_in_listen_disabled_us", "threads",
        "conn_yields", "hash_power_level", "hash_bytes", "hash_is_expanding", "slab_reassign_rescues",
        "slab_reassign_chunk_rescues", "slab_reassign_evictions_nomem", "slab_reassign_inline_reclaim",
        "slab_reassign_busy_items", "slab_reassign_busy_deletes", "slab_reassign_running", "slabs_moved",
        "lru_crawler_running", "lru_crawler_starts", "lru_maintainer_juggles", "malloc_fails", "log_worker_dropped",
        "log_worker_written", "log_watcher_skipped", "log_watcher_sent", "log_watchers", "unexpected_napi_ids",
        "round_robin_fallback", "bytes", "curr_items", "total_items", "slab_global_page_pool", "expired_unfetched",
        "evicted_unfetched", "evicted_active", "evictions", "reclaimed", "crawler_reclaimed", "crawler_items_checked",
        "lrutail_reflocked", "moves_to_cold", "moves_to_warm", "moves_within_lru", "direct_reclaims", "lru_bumps_dropped",
    ];

    private readonly ObservabilityFixture _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void General_NamesFollowMemcachedOrder_WithOursAfter()
    {
        List<string> names = _node.StatsLines().Select(p => p.Key).ToList();

        List<string> shared = names.Where(MemcachedGeneralOrder.Contains).ToList();
        List<string> expectedOrder = MemcachedGeneralOrder.Where(shared.Contains).ToList();
        Assert.Equal(expectedOrder, shared);
        Assert.Equal(names.Count, names.Distinct().Count());
        int lastShared = names.IndexOf(shared[^1]);
        Assert.All(names.Skip(lastShared + 1), name => Assert.DoesNotContain(name, MemcachedGeneralOrder));
        Assert.Equal(["pid", "uptime", "time", "version"], names.Take(4));
        Assert.Contains("cmd_get", names);
        Assert.Contains("curr_items", names);
    }

    [Fact]
    public void General_ReportsVersionSettingsAndConnections()
    {
        _node.Metrics.ConnectionOpened();
        _node.Metrics.ConnectionOpened();
        _node.Metrics.ConnectionClosed();
        _node.Metrics.ConnectionRejected();
        Dictionary<string, string> stats = _node.StatsLines().ToDictionary();

        Assert.Equal("1.6.18", stats["version"]);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), stats["pid"]);
        Assert.Equal("64", stats["pointer_size"]);
        Assert.Matches(@"^\d+\.\d{6}$", stats["rusage_user"]);
        Assert.Equal("77", stats["max_connections"]);
        Assert.Equal("1", stats["curr_connections"]);
        Assert.Equal("2", stats["total_connections"]);
        Assert.Equal("1", stats["rejected_connections"]);
        Assert.Equal("3", stats["threads"]);
        Assert.Equal("67108864", stats["limit_maxbytes"]);
        Assert.InRange(long.Parse(stats["time"], System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
    }

    [Theory]
    [InlineData(CommandType.Get, CommandResult.Hit, "get_hits", "cmd_get")]
    [InlineData(CommandType.Gets, CommandResult.Miss, "get_misses", "cmd_get")]
    [InlineData(CommandType.MetaGet, CommandResult.Hit, "get_hits", "cmd_meta")]
    [InlineData(CommandType.Gat, CommandResult.Hit, "touch_hits", "cmd_touch")]
    [InlineData(CommandType.Gats, CommandResult.Miss, "touch_misses", "cmd_touch")]
    [InlineData(CommandType.Touch, CommandResult.Touched, "touch_hits", "cmd_touch")]
    [InlineData(CommandType.Touch, CommandResult.NotFound, "touch_misses", "cmd_touch")]
    [InlineData(CommandType.Set, CommandResult.Stored, "cmd_set", "cmd_set")]
    [InlineData(CommandType.Add, CommandResult.NotStored, "cmd_set", "cmd_set")]
    [InlineData(CommandType.MetaSet, CommandResult.Stored, "cmd_set", "cmd_meta")]
    [InlineData(CommandType.Cas, CommandResult.Stored, "cas_hits", "cmd_set")]
    [InlineData(CommandType.Cas, CommandResult.Exists, "cas_badval", "cmd_set")]
    [InlineData(CommandType.Cas, CommandResult.NotFound, "cas_misses", "cmd_set")]
    [InlineData(CommandType.Delete, CommandResult.Deleted, "delete_hits", "delete_hits")]
    [InlineData(CommandType.MetaDelete, CommandResult.NotFound, "delete_misses", "cmd_meta")]
    [InlineData(CommandType.Incr, CommandResult.Hit, "incr_hits", "incr_hits")]
    [InlineData(CommandType.Incr, CommandResult.NotFound, "incr_misses", "incr_misses")]
    [InlineData(CommandType.Incr, CommandResult.Miss, "incr_misses", "incr_misses")]
    [InlineData(CommandType.MetaArithmetic, CommandResult.NotFound, "incr_misses", "cmd_meta")]
    [InlineData(CommandType.Decr, CommandResult.Hit, "decr_hits", "decr_hits")]
    [InlineData(CommandType.Decr, CommandResult.Miss, "decr_misses", "decr_misses")]
    [InlineData(CommandType.MetaArithmetic, CommandResult.Hit, "incr_hits", "cmd_meta")]
    [InlineData(CommandType.FlushAll, CommandResult.Ok, "cmd_flush", "cmd_flush")]
    [InlineData(CommandType.Set, CommandResult.ServerError, "store_too_large", "cmd_set")]
    public void Command_CountsInMemcachedStat(CommandType kind, CommandResult result, string stat, string alsoCounted)
    {
        _node.Metrics.RecordCommand(kind, result);
        _node.Metrics.RecordCommand(kind, result);

        Assert.Equal(2, _node.Stat(stat));
        Assert.Equal(2, _node.Stat(alsoCounted));
    }

    [Fact]
    public void Gat_DoesNotCountAsGet_LikeMemcached()
    {
        _node.Metrics.RecordCommand(CommandType.Gat, CommandResult.Hit);

        Assert.Equal(0, _node.Stat("cmd_get"));
        Assert.Equal(0, _node.Stat("get_hits"));
        Assert.Equal(1, _node.Stat("cmd_touch"));
    }

    [Fact]
    public void ClientError_IsNotCountedAsAStore()
    {
        _node.Metrics.RecordCommand(CommandType.Set, CommandResult.ClientError);

        Assert.Equal(0, _node.Stat("cmd_set"));
    }

    [Fact]
    public void Items_AndBytes_ComeFromTheStore()
    {
        _node.Set("k1", "v");
        _node.Set("k2", "vv");
        _node.Set("k2", "vvv");

        Assert.Equal(2, _node.Stat("curr_items"));
        Assert.Equal(3, _node.Stat("total_items"));
        Assert.True(_node.Stat("bytes") > 0);
    }

    [Fact]
    public void Reset_ZeroesCounters_ButKeepsGaugesAndPrometheusCounters()
    {
        _node.Set("k1", "v");
        _node.Metrics.RecordCommand(CommandType.Get, CommandResult.Hit);
        _node.Metrics.ConnectionOpened();
        _node.Metrics.AddBytesRead(50);

        _node.Stats.Reset();
        _node.Metrics.RecordCommand(CommandType.Get, CommandResult.Miss);

        Assert.Equal(0, _node.Stat("get_hits"));
        Assert.Equal(1, _node.Stat("get_misses"));
        Assert.Equal(0, _node.Stat("total_connections"));
        Assert.Equal(1, _node.Stat("curr_connections"));
        Assert.Equal(0, _node.Stat("bytes_read"));
        Assert.Equal(0, _node.Stat("total_items"));
        Assert.Equal(1, _node.Stat("curr_items"));
        Assert.Contains("cachenode_commands_total{command=\"get\",result=\"hit\"} 1\n", _node.Scrape(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("conns")]
    [InlineData("bogus")]
    [InlineData("items ")]
    [InlineData("SLABS")]
    public void UnknownGroup_ReturnsFalse_AndWritesNothing(string group)
    {
        var buffer = new ArrayBufferWriter<byte>();

        Assert.False(_node.Stats.TryWrite(Encoding.ASCII.GetBytes(group), buffer));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Settings_ReportOptionsInMemcachedNames()
    {
        Dictionary<string, string> settings = _node.StatsLines("settings").ToDictionary();

        Assert.Equal("67108864", settings["maxbytes"]);
        Assert.Equal("77", settings["maxconns"]);
        Assert.Equal("127.0.0.1", settings["inter"]);
        Assert.Equal("on", settings["evictions"]);
        Assert.Equal("yes", settings["cas_enabled"]);
        Assert.Equal("1048576", settings["item_size_max"]);
        Assert.Equal("3", settings["num_threads"]);
        Assert.Equal("no", settings["lru_crawler"]);
        Assert.Equal("maxbytes", _node.StatsLines("settings")[0].Key);
    }

    [Fact]
    public void Items_EmptyStore_IsJustEnd()
    {
        Assert.Equal("END\r\n", _node.StatsText("items"));
    }

    [Fact]
    public void Items_OnePseudoClass_CountsEveryItem()
    {
        _node.Set("a", "1");
        _node.Set("b", "2");

        List<KeyValuePair<string, string>> items = _node.StatsLines("items");

        Assert.Equal("items:1:number", items[0].Key);
        Assert.Equal("2", items[0].Value);
        Assert.All(items, p => Assert.StartsWith("items:1:", p.Key, StringComparison.Ordinal));
    }

    [Fact]
    public void Slabs_EndWithTotals()
    {
        _node.Set("a", "1");

        List<KeyValuePair<string, string>> slabs = _node.StatsLines("slabs");

        // the one segment holding the item is still being filled: pseudo-class 3
        Assert.Equal(new KeyValuePair<string, string>("3:chunk_size", "1048576"), slabs[0]);
        Assert.Contains(new KeyValuePair<string, string>("3:total_pages", "1"), slabs);
        Assert.Equal("1", slabs[^2].Value);
        Assert.Equal("active_slabs", slabs[^2].Key);
        Assert.Equal("total_malloced", slabs[^1].Key);
        Assert.Equal(_node.Store.GetStats().AllocatedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), slabs[^1].Value);
        Assert.All(slabs.SkipLast(2), p => Assert.Matches("^[123]:", p.Key));
    }

    [Fact]
    public void Json_HasEveryGroup_WithNumbersAsNumbers()
    {
        _node.Set("a", "1");
        _node.Metrics.RecordCommand(CommandType.Get, CommandResult.Hit);
        var buffer = new ArrayBufferWriter<byte>();

        _node.Stats.WriteJson(buffer);

        using JsonDocument json = JsonDocument.Parse(buffer.WrittenMemory);
        JsonElement root = json.RootElement;
        Assert.Equal(1, root.GetProperty("general").GetProperty("get_hits").GetInt64());
        Assert.Equal("1.6.18", root.GetProperty("general").GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("general").GetProperty("rusage_user").ValueKind);
        Assert.Equal("on", root.GetProperty("settings").GetProperty("evictions").GetString());
        Assert.Equal(1, root.GetProperty("items").GetProperty("items:1:number").GetInt64());
        Assert.True(root.GetProperty("slabs").TryGetProperty("total_malloced", out _));
    }
}
