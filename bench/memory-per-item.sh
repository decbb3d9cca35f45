#!/usr/bin/env bash
# Loads N items (default 1M, 32-byte keys, 100-byte values) into memcached and into our cache node,
# each started with -m 1024 so nothing is evicted, and reports bytes per item two ways: the growth of
# the process's RSS, and the server's own `stats` bytes / curr_items. Writes bench/results/memory-per-item.md.
#
#   bench/memory-per-item.sh             1,000,000 items
#   bench/memory-per-item.sh --quick     100,000 items (smoke test; result under bench/results/raw/)
#   options: --items N  --value-size B  --key-size B
set -euo pipefail
cd "$(dirname "$0")/.."
COMMAND="bench/memory-per-item.sh $*"

ITEMS=1000000 VALUE_SIZE=100 KEY_SIZE=32 OUT=bench/results/memory-per-item.md
while (($#)); do
    case $1 in
        --quick) ITEMS=100000; OUT=bench/results/raw/memory-per-item-quick.md ;;
        --items) ITEMS=$2; shift ;;
        --value-size) VALUE_SIZE=$2; shift ;;
        --key-size) KEY_SIZE=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

source bench/scripts/lib.sh
mkdir -p bench/results/raw

log "building Release"
build_release

# measure <server> <pid> <port>: prints one markdown table row.
measure() {
    local server=$1 pid=$2 port=$3
    sleep 1
    local rss0 rss1 stats items bytes load
    rss0=$(rss_kib "$pid")
    load=$(timeout 600 dotnet "$LOADGEN_DLL" -p "$port" -c 4 -t 2 --keys "$ITEMS" --key-size "$KEY_SIZE" \
        --value-size "$VALUE_SIZE" --prefill --duration 0)
    log "  $server: $load"
    # Let the server settle (a managed heap may still be growing or trimming) before reading RSS.
    sleep 2
    rss1=$(rss_kib "$pid")
    stats=$(text_stats "$port")
    items=$(awk '$1 == "curr_items" { print $2 }' <<<"$stats")
    bytes=$(awk '$1 == "bytes" { print $2 }' <<<"$stats")
    awk -v s="$server" -v r0="$rss0" -v r1="$rss1" -v n="$ITEMS" -v ci="${items:-0}" -v b="${bytes:-0}" 'BEGIN {
        per_rss = (r1 - r0) * 1024 / n
        per_stat = ci > 0 ? b / ci : 0
        printf "| %s | %.1f | %.1f | %d | %d | %.1f | %.1f |\n", s, r0 / 1024, r1 / 1024, ci, b, per_rss, per_stat
    }'
}

rows=()
log "memcached"
start_memcached 1 1024
rows+=("$(measure memcached "$MC_PID" "$MC_PORT")")
stop_servers
log "cache-node"
start_node 1 1024
rows+=("$(measure cache-node "$NODE_PID" "$NODE_PORT")")
node_stats=$(curl -s --max-time 5 "http://127.0.0.1:$NODE_ADMIN_PORT/stats" || true)
stop_servers

{
    echo "# Memory per item"
    echo
    echo "Generated $(date -u '+%Y-%m-%d %H:%M') UTC by \`$COMMAND\` (commit $(git rev-parse --short HEAD))."
    echo
    echo "$ITEMS items, ${KEY_SIZE}-byte keys, ${VALUE_SIZE}-byte values, loaded with \`set\` by bench/CacheOperator.LoadGen"
    echo "(\`--prefill --duration 0\`, 4 connections) into a fresh server started with \`-m 1024 -t 1\` (no evictions)."
    echo "RSS is VmRSS from /proc/<pid>/status before the load (after start-up) and 2 s after it."
    echo "\"stats bytes\" is the server's own accounting of item memory (memcached: item headers, keys, values and"
    echo "suffixes, without slab rounding or the hash table; ours: header, key and value of live items, without the index)."
    echo
    echo "| server | RSS before MiB | RSS after MiB | curr_items | stats bytes | RSS growth / item (B) | stats bytes / item (B) |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Raw data per item: key $KEY_SIZE + value $VALUE_SIZE = $((KEY_SIZE + VALUE_SIZE)) bytes."
    if [[ -n $node_stats ]]; then
        echo
        echo "cache-node admin /stats after the load (memory fields):"
        echo
        echo '```'
        "$SYS_PYTHON" -c 'import json, sys
wanted = ("curr_items", "bytes", "hash_bytes", "index_bytes", "allocated_bytes", "dead_bytes", "segments_allocated", "limit_maxbytes")
for section, values in json.load(sys.stdin).items():
    if isinstance(values, dict):
        for k in wanted:
            if k in values:
                print(f"{section}.{k} {values[k]}")' <<<"$node_stats" || echo "(unreadable)"
        echo '```'
    fi
    echo
    echo "Machine:"
    echo
    machine_info
} >"$OUT"
log "wrote $OUT"
