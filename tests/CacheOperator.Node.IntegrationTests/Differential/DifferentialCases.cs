using CacheOperator.Node.IntegrationTests.Harness;

namespace CacheOperator.Node.IntegrationTests.Differential;

/// <summary>
/// The table of raw requests. Strings are Latin-1 (one char per byte) and use \u escapes only: C#'s \x escape
/// swallows up to four hex digits and would silently change a request. Unless a step says otherwise, "mn\r\n"
/// follows it so the reader knows when the reply is complete.
/// </summary>
public static class DifferentialCases
{
    private const int MaxItemSize = 1024 * 1024;

    private static readonly string Key250 = new('a', 250);
    private static readonly string Key251 = new('b', 251);

    private static readonly Lazy<Dictionary<string, DifferentialCase>> All = new(Build);

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var name in All.Value.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    public static DifferentialCase Get(string name) => All.Value[name];

    private static Dictionary<string, DifferentialCase> Build()
    {
        var cases = new List<DifferentialCase>();
        cases.AddRange(StorageCases());
        cases.AddRange(CasCases());
        cases.AddRange(RetrievalCases());
        cases.AddRange(KeyCases());
        cases.AddRange(TouchCases());
        cases.AddRange(DeleteCases());
        cases.AddRange(ArithmeticCases());
        cases.AddRange(FlushAndAdminCases());
        cases.AddRange(MalformedCases());
        cases.AddRange(SizeLimitCases());
        cases.AddRange(FramingCases());
        cases.AddRange(MetaGetCases());
        cases.AddRange(MetaSetCases());
        cases.AddRange(MetaDeleteArithmeticDebugCases());
        cases.AddRange(PipelinedCases());
        return cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    private static IEnumerable<DifferentialCase> StorageCases()
    {
        yield return Case("set_then_get", "set k 0 0 5\r\nhello\r\nget k\r\n");
        yield return Case("set_overwrites_value_and_flags", "set k 1 0 1\r\na\r\nset k 7 0 2\r\nbb\r\nget k\r\n");
        yield return Case("set_largest_flags", "set k 4294967295 0 1\r\nx\r\nget k\r\n");
        yield return Case("set_flags_above_32_bits", "set k 4294967296 0 1\r\nx\r\nget k\r\n");
        yield return Case("set_negative_flags", "set k -1 0 1\r\nx\r\nget k\r\n");
        yield return Case("set_negative_exptime_expires_at_once", "set k 0 -1 1\r\nx\r\nget k\r\n");
        yield return Case("set_long_exptime_is_kept", "set k 0 3600 1\r\nx\r\nget k\r\n");
        yield return Case("set_empty_value", "set k 0 0 0\r\n\r\nget k\r\n");
        yield return Case("set_binary_value_with_crlf_nul_and_high_bytes", "set k 0 0 8\r\na\r\nb\u0000\u00ff\r\n\r\nget k\r\n");
        yield return Case("set_noreply", "set k 0 0 1 noreply\r\nx\r\nget k\r\n");
        yield return Case("set_with_unknown_trailing_token", "set k 0 0 1 garbage\r\nx\r\nget k\r\n");
        yield return Case("add_stores_only_when_missing", "add k 0 0 1\r\na\r\nadd k 0 0 1\r\nb\r\nget k\r\n");
        yield return Case("add_noreply", "add k 0 0 1 noreply\r\na\r\nadd k 0 0 1 noreply\r\nb\r\nget k\r\n");
        yield return Case("replace_stores_only_when_present", "replace k 0 0 1\r\na\r\nset k 0 0 1\r\nb\r\nreplace k 3 0 1\r\nc\r\nget k\r\n");
        yield return Case("replace_noreply", "replace k 0 0 1 noreply\r\na\r\nget k\r\nset k 0 0 1\r\nb\r\nreplace k 0 0 1 noreply\r\nc\r\nget k\r\n");
        yield return Case(
            "append_prepend_keep_flags",
            "append k 0 0 1\r\na\r\nprepend k 0 0 1\r\na\r\nset k 5 0 2\r\nmm\r\nappend k 9 0 2\r\nzz\r\nprepend k 9 0 2\r\naa\r\nget k\r\n");
        yield return Case("append_prepend_noreply", "set k 0 0 1\r\nm\r\nappend k 0 0 1 noreply\r\nz\r\nprepend k 0 0 1 noreply\r\na\r\nget k\r\n");
        yield return Case("append_empty_value", "set k 0 0 1\r\nm\r\nappend k 0 0 0\r\n\r\nget k\r\n");
    }

    private static IEnumerable<DifferentialCase> CasCases()
    {
        yield return Case("cas_with_current_unique_stores", "set k 0 0 1\r\na\r\ngets k\r\n", "cas k 0 0 1 {cas}\r\nb\r\ngets k\r\n");
        yield return Case(
            "cas_with_stale_unique_is_exists",
            "set k 0 0 1\r\na\r\ngets k\r\n",
            "set k 0 0 1\r\nb\r\ncas k 0 0 1 {cas}\r\nc\r\nget k\r\n");
        yield return Case("cas_on_missing_key_is_not_found", "cas nope 0 0 1 1\r\nx\r\n");
        yield return Case("cas_noreply", "set k 0 0 1\r\na\r\ngets k\r\n", "cas k 0 0 1 {cas} noreply\r\nb\r\nget k\r\n");
        yield return Case("cas_without_unique_is_error", "cas k 0 0 1\r\nx\r\n");
        yield return Case("cas_with_non_numeric_unique", "set k 0 0 1\r\na\r\ncas k 0 0 1 abc\r\nx\r\n");
        yield return Case("gets_unique_changes_on_every_write", "set k 0 0 1\r\na\r\ngets k\r\ngets k\r\nappend k 0 0 1\r\nb\r\ngets k\r\ntouch k 100\r\ngets k\r\n");
    }

    private static IEnumerable<DifferentialCase> RetrievalCases()
    {
        yield return Case("get_miss", "get nope\r\n");
        yield return Case("get_many_with_duplicates_and_misses", "set a 0 0 1\r\n1\r\nset b 2 0 2\r\n22\r\nget a nope b a\r\n");
        yield return Case("gets_many", "set a 0 0 1\r\n1\r\nset b 2 0 2\r\n22\r\ngets a nope b\r\n");
        yield return Case("get_without_key", "get\r\n");
        yield return Case("gets_without_key", "gets\r\n");
        yield return Case("get_with_runs_of_spaces", "set a 0 0 1\r\n1\r\nget  a   a \r\n");
        yield return Case("get_with_trailing_space", "set k 0 0 1\r\nx\r\nget k \r\n");
        yield return Case("set_with_trailing_space", "set k 0 0 1 \r\nx\r\nget k\r\n");
        yield return Case("leading_space_before_command", "set k 0 0 1\r\nx\r\n get k\r\n");
        yield return Case("key_ending_in_carriage_return", "set k 0 0 1\r\nx\r\nget k\r\r\n");
        yield return Case("get_1200_keys_on_one_long_line", "get " + Repeat("q ", 1200) + "\r\n");
    }

    private static IEnumerable<DifferentialCase> KeyCases()
    {
        yield return Case("key_of_250_bytes_is_accepted", $"set {Key250} 0 0 1\r\nx\r\nget {Key250}\r\ndelete {Key250}\r\n");
        yield return Case("key_of_251_bytes_get", $"get {Key251}\r\n");
        yield return Case("key_of_251_bytes_set", $"set {Key251} 0 0 1\r\nx\r\n");
        yield return Case("key_of_251_bytes_delete_incr_touch", $"delete {Key251}\r\nincr {Key251} 1\r\ntouch {Key251} 1\r\n");

        // The set is its own step: memcached 1.6 drops every reply still queued on the connection when a multi-get
        // fails, so a STORED read in the same batch vanishes or not depending on how the kernel split the bytes.
        yield return Case("key_of_251_bytes_in_multi_get", "set a 0 0 1\r\n1\r\n", $"get a {Key251} a\r\n");
        yield return Case("key_of_251_bytes_meta", $"mg {Key251} v\r\nms {Key251} 1\r\nx\r\nmd {Key251}\r\nma {Key251}\r\n");
        yield return Case("key_with_control_characters", "set \u0001\u007f\t 0 0 1\r\nx\r\nget \u0001\u007f\t\r\n");
        yield return Case("key_with_high_bytes", "set k\u00e9\u00ff 0 0 1\r\nx\r\nget k\u00e9\u00ff\r\n");
    }

    private static IEnumerable<DifferentialCase> TouchCases()
    {
        yield return Case("touch_hit_miss_noreply", "set k 0 0 1\r\nx\r\ntouch k 100\r\ntouch nope 100\r\ntouch k 100 noreply\r\nget k\r\n");
        yield return Case("touch_negative_exptime_expires", "set k 0 0 1\r\nx\r\ntouch k -1\r\nget k\r\n");
        yield return Case("touch_invalid_exptime", "touch k abc\r\n");
        yield return Case("touch_without_exptime", "touch k\r\n");
        yield return Case("gat_hits_and_misses", "set a 0 0 1\r\n1\r\nset b 3 0 2\r\n22\r\ngat 100 a nope b\r\n");
        yield return Case("gats_returns_unique", "set a 0 0 1\r\n1\r\ngats 100 a\r\ngets a\r\n");
        yield return Case("gat_negative_exptime_returns_then_expires", "set a 0 0 1\r\n1\r\ngat -1 a\r\nget a\r\n");
        yield return Case("gat_without_key", "gat 100\r\n");
        yield return Case("gat_without_arguments", "gat\r\n");
        yield return Case("gat_invalid_exptime", "gat abc k\r\n");
    }

    private static IEnumerable<DifferentialCase> DeleteCases()
    {
        yield return Case("delete_hit_then_miss", "set k 0 0 1\r\nx\r\ndelete k\r\ndelete k\r\nget k\r\n");
        yield return Case("delete_noreply", "set k 0 0 1\r\nx\r\ndelete k noreply\r\ndelete k noreply\r\nget k\r\n");
        yield return Case("delete_with_legacy_zero_time", "set k 0 0 1\r\nx\r\ndelete k 0\r\n");
        yield return Case("delete_with_nonzero_time_is_error", "delete k 5\r\n");
        yield return Case("delete_without_key", "delete\r\n");
    }

    private static IEnumerable<DifferentialCase> ArithmeticCases()
    {
        yield return Case("incr_decr", "set n 0 0 2\r\n10\r\nincr n 5\r\ndecr n 3\r\nget n\r\n");
        yield return Case("decr_below_zero_stops_at_zero", "set n 0 0 1\r\n5\r\ndecr n 100\r\nget n\r\n");
        yield return Case("incr_wraps_at_2_pow_64", "set n 0 0 20\r\n18446744073709551615\r\nincr n 1\r\nget n\r\n");
        yield return Case("incr_lengthens_value", "set n 0 0 2\r\n99\r\nincr n 1\r\nget n\r\n");
        yield return Case("decr_shortening_value_keeps_length", "set n 0 0 3\r\n100\r\ndecr n 1\r\nget n\r\nincr n 10\r\nget n\r\n");
        yield return Case("incr_keeps_flags", "set n 42 0 1\r\n1\r\nincr n 1\r\nget n\r\n");
        yield return Case("incr_on_non_numeric_value", "set t 0 0 3\r\nabc\r\nincr t 1\r\ndecr t 1\r\n");
        yield return Case("incr_on_value_with_leading_space", "set n 0 0 2\r\n 5\r\nincr n 1\r\n");
        yield return Case("incr_on_21_digit_value", "set n 0 0 21\r\n123456789012345678901\r\nincr n 1\r\n");
        yield return Case("incr_invalid_delta", "set n 0 0 1\r\n1\r\nincr n abc\r\nincr n -1\r\nincr n 18446744073709551616\r\n");
        yield return Case("incr_largest_delta", "set n 0 0 1\r\n0\r\nincr n 18446744073709551615\r\n");
        yield return Case("incr_decr_missing_key", "incr nope 1\r\ndecr nope 1\r\n");
        yield return Case("incr_decr_noreply", "set n 0 0 1\r\n1\r\nincr n 5 noreply\r\ndecr n 1 noreply\r\nget n\r\n");
        yield return Case("incr_wrong_arity", "incr\r\nincr n\r\nincr n 1 2 3\r\n");
        yield return Case("incr_noreply_suppresses_errors_too", "set n 0 0 1\r\n1\r\nincr n 1 noreply\r\nincr nope 1 noreply\r\nincr n abc noreply\r\nget n\r\n");
    }

    private static IEnumerable<DifferentialCase> FlushAndAdminCases()
    {
        yield return Case("flush_all_empties_cache", "set k 0 0 1\r\nx\r\nflush_all\r\nget k\r\nset k 0 0 1\r\ny\r\nget k\r\n");
        yield return Case("flush_all_noreply", "set k 0 0 1\r\nx\r\nflush_all noreply\r\nget k\r\n");
        yield return Case("flush_all_zero_delay", "set k 0 0 1\r\nx\r\nflush_all 0\r\nget k\r\n");
        yield return Case("flush_all_invalid_delay", "flush_all abc\r\nflush_all 1 2 3\r\n");
        yield return Fresh("flush_all_delayed_keeps_items_until_then", "set k 0 0 1\r\nx\r\nflush_all 60\r\nget k\r\n");
        yield return Fresh("flush_all_delayed_noreply", "set k 0 0 1\r\nx\r\nflush_all 60 noreply\r\nget k\r\n");
        yield return Case("version", "version\r\n");
        yield return Case("verbosity", "verbosity 1\r\nverbosity 0 noreply\r\nverbosity\r\nverbosity abc\r\n");
        yield return Case("cache_memlimit", "cache_memlimit 64\r\ncache_memlimit\r\ncache_memlimit abc\r\n");
        yield return Case("stats", "stats\r\n");
        yield return Case("stats_reset", "stats reset\r\n");
        yield return Case("stats_unknown_group", "stats bogus\r\n");
        yield return Closing("quit_closes_connection", "quit\r\n");
        yield return Closing("quit_after_pipelined_commands", "set k 0 0 1\r\nx\r\nget k\r\nquit\r\nget k\r\n");
        yield return Fresh("shutdown_when_not_enabled", "shutdown\r\n");
    }

    private static IEnumerable<DifferentialCase> MalformedCases()
    {
        yield return Case("unknown_command", "bogus\r\n");
        yield return Case("unknown_command_with_arguments", "bogus a b c d e f g h i j\r\n");
        yield return Case("empty_line", "\r\n");
        yield return Case("uppercase_command", "GET k\r\nSET k 0 0 1\r\n");
        yield return Case("storage_missing_length", "set k 0 0\r\n");
        yield return Case("storage_without_arguments", "set\r\n");
        yield return Case("storage_non_numeric_flags", "set k abc 0 1\r\nx\r\n");
        yield return Case("storage_non_numeric_exptime", "set k 0 abc 1\r\nx\r\n");
        yield return Case("storage_negative_length", "set k 0 0 -1\r\n");
        yield return Case("storage_non_numeric_length", "set k 0 0 abc\r\n");
        yield return Case("bad_data_chunk_longer_than_declared", "set k 0 0 5\r\nabcdefg\r\nget k\r\n");
        yield return Case("bad_data_chunk_shorter_than_declared", "set k 0 0 5\r\nabc\r\n");
        yield return Case("bad_data_chunk_with_noreply", "set k 0 0 1 noreply\r\nxx\r\nget k\r\n");
        yield return Case("bad_data_chunk_bare_lf_terminator", "set k 0 0 1\r\nx\nget k\r\n");
        yield return Case("long_unknown_line_with_newline", Repeat("x", 3000) + "\r\n");
        yield return Closing("long_line_without_newline_closes", Repeat("x", 5000));
    }

    private static IEnumerable<DifferentialCase> SizeLimitCases()
    {
        var justUnder = MaxItemSize - 1024;
        yield return Case("value_well_under_max_item_size", $"set k 0 0 {justUnder}\r\n{Repeat("v", justUnder)}\r\nget k\r\n");
        yield return Case("value_of_exactly_max_item_size", $"set k 0 0 {MaxItemSize}\r\n{Repeat("v", MaxItemSize)}\r\nget k\r\n");
        yield return Case("value_one_over_max_item_size", $"set k 0 0 {MaxItemSize + 1}\r\n{Repeat("v", MaxItemSize + 1)}\r\nget k\r\n");
        yield return Case(
            "value_far_over_max_item_size_is_swallowed",
            $"set k 0 0 2000000\r\n{Repeat("v", 2_000_000)}\r\nget k\r\n");
        yield return Case(
            "oversized_set_removes_old_value",
            $"set k 0 0 1\r\nx\r\nset k 0 0 {MaxItemSize + 1}\r\n{Repeat("v", MaxItemSize + 1)}\r\nget k\r\n");
        yield return Case("oversized_append", $"set k 0 0 {justUnder}\r\n{Repeat("v", justUnder)}\r\nappend k 0 0 2048\r\n{Repeat("w", 2048)}\r\nget k\r\n");
        yield return Case("meta_set_over_max_item_size", $"ms k {MaxItemSize + 1}\r\n{Repeat("v", MaxItemSize + 1)}\r\nmg k s\r\n");
    }

    private static IEnumerable<DifferentialCase> FramingCases()
    {
        yield return Case("bare_lf_line_endings", "set k 0 0 1\nx\r\nget k\n");
        yield return new DifferentialCase("command_split_across_writes", [new RawStep("ge", AppendSentinel: false), new RawStep("t k\r\n")]);
        yield return new DifferentialCase(
            "data_block_split_across_writes",
            [new RawStep("set k 0 0 10\r\nabc", AppendSentinel: false), new RawStep("defghij\r\nget k\r\n")]);
        yield return new DifferentialCase(
            "long_get_line_split_across_writes",
            [new RawStep("get " + Repeat("q ", 1200), AppendSentinel: false), new RawStep("\r\n")]);
        yield return new DifferentialCase(
            "pipelined_mix_sent_byte_by_byte",
            [new RawStep("set a 0 0 3\r\nabc\r\nget a\r\nms b 2 T0\r\nhi\r\nmg b v s\r\nincr a 1\r\ndelete a\r\nget a b\r\n", ChunkSize: 1)]);
        yield return new DifferentialCase(
            "meta_pipeline_sent_in_3_byte_pieces",
            [new RawStep("ms a 1 q\r\n1\r\nma a q\r\nmg a v q\r\nmg nope v q\r\nmd a q\r\nmg a v\r\n", ChunkSize: 3)]);
    }

    private static IEnumerable<DifferentialCase> MetaGetCases()
    {
        yield return Case("mn_alone", "mn\r\n");
        yield return Case("mg_miss", "mg nope v\r\n");
        yield return Case("mg_miss_quiet", "mg nope v q\r\n");
        yield return Case("mg_hit_without_flags", "set k 0 0 2\r\nhi\r\nmg k\r\n");
        yield return Case("mg_value_size_flags_key_opaque", "set k 9 0 2\r\nhi\r\nmg k s v f k Oabc\r\n");
        yield return Case("mg_opaque_and_key_on_miss", "mg nope O123 k v\r\n");
        yield return Case("mg_ttl_of_item_without_expiry", "set k 0 0 2\r\nhi\r\nmg k t v\r\n");
        yield return Case("mg_touch_then_ttl", "set k 0 0 2\r\nhi\r\nmg k T30 t\r\n");
        yield return Case("mg_cas_flag", "set k 0 0 2\r\nhi\r\nmg k c v\r\ngets k\r\n");
        yield return Case("mg_hit_before_flag", "set k 0 0 2\r\nhi\r\nmg k h v\r\nmg k h\r\n");
        yield return Case("mg_quiet_hit_and_miss", "set k 0 0 2\r\nhi\r\nmg k v q\r\nmg nope v q\r\nmg k s q\r\n");
        yield return Case("mg_base64_key", "ms a2V5 2 b\r\nhi\r\nmg a2V5 b k v\r\nmg key v\r\n");
        yield return Case("mg_invalid_base64_key", "mg !!! b v\r\n");
        yield return Case("mg_invalid_flag", "set k 0 0 2\r\nhi\r\nmg k zz\r\n");
        yield return Case("mg_without_key", "mg\r\n");
        yield return Case("mg_duplicate_flag", "ms k 2\r\nhi\r\nmg k v v s s\r\n");
        yield return Case("mg_opaque_of_32_and_40_bytes", $"mg k O{Repeat("1", 32)}\r\nmg k O{Repeat("x", 40)} v\r\n");
        yield return Case("mg_unsupported_flag_E", "ms k 2\r\nhi\r\nmg k E5 v\r\n");
        yield return Case("mg_many_flags_quiet_hit", "ms k 0\r\n\r\nmg k s v k f t c h O1 q\r\n");
        yield return Case("mg_vivify_wins_once", "mg foo N30 v c\r\nmg foo v c\r\nms foo 2\r\nok\r\nmg foo v\r\n");
        yield return Case("mg_recache_wins_when_ttl_low", "ms k 2 T10\r\nhi\r\nmg k R30 v\r\nmg k R30 v\r\n");
        yield return Case("mg_stale_after_invalidate", "ms k 2\r\nhi\r\nmd k I\r\nmg k v c\r\nmg k v\r\nms k 2 I\r\nyo\r\nmg k v\r\n");
    }

    private static IEnumerable<DifferentialCase> MetaSetCases()
    {
        yield return Case("ms_then_mg", "ms k 2\r\nhi\r\nmg k v\r\n");
        yield return Case("ms_client_flags_and_ttl", "ms k 2 F7 T0\r\nhi\r\nmg k f v t\r\n");
        yield return Case("ms_opaque_key_and_cas", "ms k 2 O5 k c\r\nhi\r\nmg k c\r\n");
        yield return Case("ms_missing_length", "ms k\r\n");
        yield return Case("ms_non_numeric_length", "ms k abc\r\nhi\r\n");
        yield return Case("ms_without_key", "ms\r\n");
        yield return Case(
            "ms_modes",
            "ms k 2 MA\r\nhi\r\nms k 2 MP\r\nyo\r\nmg k v\r\nms k 2 MX\r\nzz\r\nms nope 2 ME\r\naa\r\nms k 2 MR\r\nbb\r\nmg k v\r\nms k 2 MS\r\ncc\r\nmg k v\r\n");
        yield return Case("ms_append_to_missing", "ms nope 2 MA\r\nhi\r\nms nope 2 MP\r\nhi\r\nms nope 2 MR\r\nhi\r\n");
        yield return Case("ms_compare_cas", "ms k 2 c\r\nhi\r\n", "ms k 2 C{cas}\r\nyo\r\nms k 2 C{cas}\r\nzz\r\nmg k v\r\n");
        yield return Case("ms_quiet", "ms k 2 q\r\nhi\r\nms nope 2 q ME\r\nxx\r\nmg k v\r\n");
        yield return Case("ms_bad_data_chunk", "ms k 2\r\nhiya\r\nmg k v\r\n");
        yield return Case("ms_invalid_flag", "ms k 2 !\r\nhi\r\n");
        yield return Case("ms_explicit_cas_flag", "ms k 2 E999\r\nhi\r\nmg k c v\r\n");
        yield return Case("ms_negative_ttl_expires_at_once", "ms k 2 T-1\r\nhi\r\nmg k v\r\n");
        yield return Case("ms_non_numeric_ttl", "ms k 2 Tabc\r\nhi\r\n");
        yield return Case("ms_non_numeric_client_flags", "ms k 2 Fabc\r\nhi\r\n");
        yield return Case("ms_empty_value", "ms k 0\r\n\r\nmg k v s\r\n");
        yield return Case("ms_key_of_250_bytes_with_key_flag", $"ms {Key250} 1 k\r\nx\r\n");
        yield return Case("ms_set_mode_with_invalidate_flag", "ms k 2 MS I\r\nhi\r\nmg k v\r\n");
    }

    private static IEnumerable<DifferentialCase> MetaDeleteArithmeticDebugCases()
    {
        yield return Case("md_hit_then_miss", "set k 0 0 1\r\nx\r\nmd k\r\nmd k\r\n");
        yield return Case("md_quiet", "set k 0 0 1\r\nx\r\nmd k q\r\nmd nope q\r\n");
        yield return Case("md_opaque_and_key", "md nope O7 k\r\n");
        yield return Case("md_invalidate_marks_stale", "set k 0 0 1\r\nx\r\nmd k I T30\r\nmg k v c t\r\n");
        yield return Case("md_compare_cas", "ms k 2 c\r\nhi\r\n", "md k C{cas}1\r\nmd k C{cas}\r\nmg k v\r\n");
        yield return Case("md_without_key", "md\r\n");
        yield return Case("ma_increment_and_decrement", "set n 0 0 1\r\n5\r\nma n\r\nma n v\r\nma n MD D2 v\r\nma n MD D100 v\r\n");
        yield return Case("ma_miss", "ma nope\r\nma nope v\r\n");
        yield return Case("ma_autovivify_with_initial_value", "ma nx N0 J7 v\r\nma nx v\r\n");
        yield return Case("ma_non_numeric_value", "set t 0 0 1\r\nx\r\nma t\r\nma t MD v\r\n");
        yield return Case("ma_invalid_mode", "set n 0 0 1\r\n5\r\nma n MZ\r\n");
        yield return Case("ma_quiet", "set n 0 0 1\r\n5\r\nma n q\r\nma nope q\r\nmg n v\r\n");
        yield return Case("ma_opaque_key_cas", "set n 0 0 1\r\n5\r\nma n O3 k c v\r\n");
        yield return Case("ma_wraps_at_2_pow_64", "set n 0 0 20\r\n18446744073709551615\r\nma n v\r\n");
        yield return Case("ma_without_key", "ma\r\n");
        yield return Case("ma_initial_value_of_2_pow_64_minus_1", "ma n N0 J18446744073709551615 v\r\nma n v\r\n");
        yield return Case("ma_non_numeric_initial_and_delta", "ma n2 N0 Jabc v\r\nma n3 N0 Dabc v\r\n");
        yield return Case("md_invalid_flag", "set k 0 0 1\r\nx\r\nmd k x\r\nmd nope\r\n");
        yield return Case("md_quiet_hides_only_success", "set k 0 0 1\r\nx\r\nmd k q\r\nmd k q\r\n");
        yield return Case("me_miss", "me nope\r\n");
        yield return Case("me_hit", "set k 0 0 2\r\nhi\r\nme k\r\n");
    }

    private static IEnumerable<DifferentialCase> PipelinedCases()
    {
        yield return Case(
            "pipelined_text_mix",
            "set a 0 0 1\r\n1\r\nget a\r\nincr a 5\r\nappend a 0 0 1\r\nx\r\nget a\r\ndelete a\r\nget a\r\nbogus\r\nadd a 0 0 1\r\n2\r\ngets a\r\n");
        yield return Case(
            "pipelined_meta_and_text_mix",
            "ms a 1 q\r\n1\r\nmg a v q\r\nget a\r\nma a q\r\nmg a v\r\nmd a q\r\nmg a v q\r\nmn\r\nget a\r\n");
        yield return Case("pipelined_noreply_burst", NoReplyBurst());
        yield return Case(
            "pipelined_errors_between_commands",
            "get\r\nset k 0 0 1\r\nx\r\nbogus\r\nget k\r\nincr k 1\r\nset k 0 0 1\r\nxy\r\nget k\r\n");
    }

    private static string NoReplyBurst()
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"set k{i} {i} 0 {i % 7}\r\n{Repeat("z", i % 7)}\r\n");
        }

        text.Append("get k0 k6 k13 k49 nope\r\n");
        return text.ToString();
    }

    private static DifferentialCase Case(string name, params string[] steps) =>
        new(name, [.. steps.Select(s => new RawStep(s))]);

    private static DifferentialCase Fresh(string name, params string[] steps) =>
        new(name, [.. steps.Select(s => new RawStep(s))], FreshServers: true);

    private static DifferentialCase Closing(string name, string request) =>
        new(name, [new RawStep(request, AppendSentinel: false)]);

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));
}
