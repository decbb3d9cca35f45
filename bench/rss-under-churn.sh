#!/usr/bin/env bash
# RSS under eviction churn: memcached and our node, each started with -m 256, take a bounded run of sets whose
# values are uniform over 100 B..20 KB across 2M keys (far more than 256 MiB holds, so eviction never stops).
# VmRSS is sampled every second; the report gives start, max and final RSS against the configured item memory,
# and for the node the engine's own accounting (/stats) and the GC and process series (/metrics) at the end.
# Writes bench/results/rss-under-churn.md.
#
#   bench/rss-under-churn.sh                 60 s per server
#   bench/rss-under-churn.sh --quick         10 s per server (smoke test; result under bench/results/raw/)
# DOTNET_* variables in the environment reach the node (e.g. DOTNET_gcServer=0 for workstation GC).
#   options: --no-build  --duration S  --memory MiB  --keys N  --value-min B  --value-max B  --get-ratio R  --threads T
set -euo pipefail
cd "$(dirname "$0")/.."
COMMAND="bench/rss-under-churn.sh $*"

BUILD=1 DURATION=60 MEMORY=256 KEYS=2000000 VALUE_MIN=100 VALUE_MAX=20480 GET_RATIO=0 THREADS=2
OUT=bench/results/rss-under-churn.md
while (($#)); do
    case $1 in
        --quick) DURATION=10; OUT=bench/results/raw/rss-under-churn-quick.md ;;
        --no-build) BUILD=0 ;;
        --duration) DURATION=$2; shift ;;
        --memory) MEMORY=$2; shift ;;
        --keys) KEYS=$2; shift ;;
        --value-min) VALUE_MIN=$2; shift ;;
        --value-max) VALUE_MAX=$2; shift ;;
        --get-ratio) GET_RATIO=$2; shift ;;
        --threads) THREADS=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

source bench/scripts/lib.sh
SAMPLER_PID=
stop_sampler() {
    if [[ -n $SAMPLER_PID ]]; then
        kill "$SAMPLER_PID" 2>/dev/null || true
        wait "$SAMPLER_PID" 2>/dev/null || true
        SAMPLER_PID=
    fi
}
trap 'stop_sampler; cleanup' EXIT
mkdir -p bench/results/raw
STAMP=$(date -u +%Y%m%dT%H%M%S)

if ((BUILD)); then
    log "building Release"
    build_release
fi

# sample_rss <pid> <file>: "<seconds since start> <VmRSS KiB> <RssAnon KiB> <RssFile KiB>" every second, in the
# background, until stopped or the process is gone (bounded by the run's length plus a margin anyway).
sample_rss() {
    local pid=$1 file=$2 limit=$((DURATION + 30)) t=0
    : >"$file"
    while ((t <= limit)) && kill -0 "$pid" 2>/dev/null; do
        awk -v t="$t" '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 }
            END { print t, r, a, f }' "/proc/$pid/status" >>"$file" 2>/dev/null || true
        sleep 1
        t=$((t + 1))
    done
}

# churn <server> <pid> <port>: runs the load while sampling RSS; prints one markdown table row.
churn() {
    local server=$1 pid=$2 port=$3 samples="bench/results/raw/rss-under-churn-$STAMP-$1.txt"
    sleep 1
    local rss0 result
    rss0=$(rss_kib "$pid")
    sample_rss "$pid" "$samples" &
    SAMPLER_PID=$!
    result=$(timeout $((DURATION + 120)) dotnet "$LOADGEN_DLL" -p "$port" -c 4 -t 2 -d 8 --get-ratio "$GET_RATIO" \
        --keys "$KEYS" --key-size 32 --value-size "$VALUE_MIN" --value-size-max "$VALUE_MAX" \
        --duration "$DURATION" --warmup 0 --label "$server" --json) || log "  $server: loadgen exited with $?"
    # Two more samples after the load stops: does the process give memory back?
    sleep 2
    stop_sampler
    log "  $server: $(head -n 1 <<<"$result")"
    grep '^{' <<<"$result" >>"bench/results/raw/rss-under-churn-$STAMP.jsonl" || true
    local rss1 ops
    rss1=$(rss_kib "$pid")
    ops=$("$SYS_PYTHON" -c 'import json, sys
for line in sys.stdin:
    if line.startswith("{"):
        print(round(json.loads(line)["ops_per_sec"])); break
else:
    print(0)' <<<"$result")
    local stats items bytes evictions
    stats=$(text_stats "$port")
    echo "$stats" >"$WORK_DIR/$server.stats"
    items=$(awk '$1 == "curr_items" { print $2 }' <<<"$stats")
    bytes=$(awk '$1 == "bytes" { print $2 }' <<<"$stats")
    evictions=$(awk '$1 == "evictions" { print $2 }' <<<"$stats")
    awk -v s="$server" -v r0="$rss0" -v r1="$rss1" -v m="$MEMORY" -v ci="${items:-0}" -v b="${bytes:-0}" \
        -v ev="${evictions:-0}" -v ops="$ops" '
        { if ($2 > max) { max = $2; maxanon = $3 } }
        END {
            mib = 1024
            printf "| %s | %d | %.1f | %.1f (%.3f) | %.1f (%.3f) | %.1f | %d | %.1f | %d | %d |\n", s, m, r0 / mib,
                max / mib, max / mib / m, r1 / mib, r1 / mib / m, maxanon / mib, ci, b / 1048576, ev, ops
        }' "$samples"
}

rows=()
log "memcached -m $MEMORY -t $THREADS"
start_memcached "$THREADS" "$MEMORY"
rows+=("$(churn memcached "$MC_PID" "$MC_PORT")")
mc_stats=$(cat "$WORK_DIR/memcached.stats" 2>/dev/null || true)
stop_servers

log "cache-node -m $MEMORY -t $THREADS"
start_node "$THREADS" "$MEMORY"
rows+=("$(churn cache-node "$NODE_PID" "$NODE_PORT")")
node_stats=$(curl -s --max-time 5 "http://127.0.0.1:$NODE_ADMIN_PORT/stats" || true)
node_metrics=$(curl -s --max-time 5 "http://127.0.0.1:$NODE_ADMIN_PORT/metrics" || true)
node_smaps=$(cat "/proc/$NODE_PID/smaps_rollup" 2>/dev/null || true)
node_status=$(grep -E '^(VmRSS|RssAnon|RssFile|RssShmem|VmHWM|Threads)' "/proc/$NODE_PID/status" || true)
stop_servers

{
    echo "# RSS under eviction churn"
    echo
    echo "Generated $(date -u '+%Y-%m-%d %H:%M') UTC by \`$COMMAND\` (commit $(git rev-parse --short HEAD))."
    echo
    echo "Each server is started fresh with \`-m $MEMORY -t $THREADS\` (memcached: \`memcached -p <port> -l 127.0.0.1 -U 0 -u root -m $MEMORY -t $THREADS\`;"
    echo "ours: \`cache-node.dll node -p 0 --admin-port 0 -m $MEMORY -t $THREADS\`), then bench/CacheOperator.LoadGen runs for $DURATION s:"
    echo "get ratio $GET_RATIO, $KEYS uniform keys of 32 bytes, value lengths uniform in $VALUE_MIN..$VALUE_MAX bytes, 4 connections,"
    echo "depth 8, no prefill, no warm-up. VmRSS is sampled from /proc/<pid>/status every second during the run and"
    echo "for 2 s after it. Ratios in brackets are RSS / configured item memory ($MEMORY MiB)."
    gc_env=$(env | grep -E '^DOTNET_(gc|GC)' | tr '\n' ' ' || true)
    echo "GC settings from the environment (DOTNET_gc*/DOTNET_GC*): ${gc_env:-none; the node runs as built, Server GC}."
    echo
    echo "| server | -m MiB | RSS at start MiB | max RSS MiB (/ -m) | final RSS MiB (/ -m) | RssAnon at max MiB | curr_items | stats bytes MiB | evictions | sets/s |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Samples (seconds, VmRSS, RssAnon, RssFile in KiB): \`bench/results/raw/rss-under-churn-$STAMP-<server>.txt\` (not committed)."
    if [[ -n $node_stats ]]; then
        echo
        echo "cache-node at the end of the run, admin /stats (memory fields):"
        echo
        echo '```'
        "$SYS_PYTHON" -c 'import json, sys
wanted = ("curr_items", "bytes", "limit_maxbytes", "hash_bytes", "index_bytes", "allocated_bytes", "dead_bytes",
          "segment_size", "segments_allocated", "segments_free", "evictions", "compactions", "items_moved")
for section, values in json.load(sys.stdin).items():
    if isinstance(values, dict):
        for k in wanted:
            if k in values:
                print(f"{section}.{k} {values[k]}")' <<<"$node_stats" || echo "(unreadable)"
        echo '```'
    fi
    if [[ -n $node_metrics ]]; then
        echo
        echo "cache-node /metrics, process and GC series at the end of the run:"
        echo
        echo '```'
        grep -E '^(process_resident_memory_bytes|process_virtual_memory_bytes|dotnet_gc_heap_bytes|dotnet_gc_allocated_bytes_total|dotnet_gc_collections_total|process_num_threads)' <<<"$node_metrics" || true
        echo '```'
    fi
    if [[ -n $node_status ]]; then
        echo
        echo "cache-node /proc/<pid>/status at the end of the run:"
        echo
        echo '```'
        echo "$node_status"
        echo '```'
    fi
    if [[ -n $mc_stats ]]; then
        echo
        echo "memcached stats at the end of the run (memory fields):"
        echo
        echo '```'
        grep -E '^(limit_maxbytes|bytes|curr_items|evictions|total_malloced|hash_bytes|slab_reassign_busy_items|threads) ' <<<"$mc_stats" || true
        echo '```'
    fi
    echo
    echo "Machine:"
    echo
    machine_info
} >"$OUT"
log "wrote $OUT"
