#!/usr/bin/env bash
# memcached against several variants of the node (environment, flags, or another build's cache-node.dll), all
# started at once with the same -t and -m; every run measures them one after the other, so drift on the shared
# machine hits all alike. For trying a runtime knob or a change against the build before it. Prints the median of
# the runs per cell (ops/s, ratio to memcached, server CPU µs/request, p99, threads of the process, load average);
# raw runs go to bench/results/raw/.
#
#   bench/node-variants.sh --variant 'new||' --variant 'one-epoll|DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=1|'
#   a variant is 'name|VAR=value ...|node flags'; NODE_DLL=<path> among the variables runs another build.
#   options: --threads "1 2"  --conns "4 100"  --depth 1  --value 100  --runs N  --duration S  --warmup S  --no-build
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS="1 2" CONNS="4 100" DEPTH=1 RUNS=5 DURATION=3 WARMUP=1 VALUE=100 KEYS=100000 KEY_SIZE=32 CLIENT_THREADS=2
BUILD=1 VARIANTS=()
while (($#)); do
    case $1 in
        --threads) THREADS=$2; shift ;;
        --conns) CONNS=$2; shift ;;
        --depth) DEPTH=$2; shift ;;
        --value) VALUE=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --variant) VARIANTS+=("$2"); shift ;;
        --no-build) BUILD=0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
((${#VARIANTS[@]})) || VARIANTS=('node||')

source bench/scripts/lib.sh
mkdir -p bench/results/raw
RAW=bench/results/raw/node-variants-$(date -u +%Y%m%dT%H%M%S).jsonl
: >"$RAW"

if ((BUILD)); then
    log "building Release"
    build_release
fi

DEFAULT_DLL=$NODE_DLL
for threads in $THREADS; do
    declare -A PID=() PORT=()
    NAMES=(memcached)
    start_memcached "$threads" 1024
    PID[memcached]=$MC_PID PORT[memcached]=$MC_PORT
    for variant in "${VARIANTS[@]}"; do
        IFS='|' read -r name vars flags <<<"$variant"
        NODE_DLL=$DEFAULT_DLL
        # The variables reach only this node: exported for its start, then unset.
        for assignment in $vars; do
            if [[ $assignment == NODE_DLL=* ]]; then NODE_DLL=${assignment#NODE_DLL=}; else export "${assignment?}"; fi
        done
        # shellcheck disable=SC2086
        start_node "$threads" 1024 $flags
        for assignment in $vars; do [[ $assignment == NODE_DLL=* ]] || unset "${assignment%%=*}"; done
        PID[$name]=$NODE_PID PORT[$name]=$NODE_PORT
        NAMES+=("$name")
    done
    NODE_DLL=$DEFAULT_DLL
    for server in "${NAMES[@]}"; do
        timeout 300 dotnet "$LOADGEN_DLL" -p "${PORT[$server]}" -c 4 -t "$CLIENT_THREADS" --keys "$KEYS" \
            --key-size "$KEY_SIZE" --value-size "$VALUE" --prefill --duration 0 >/dev/null
    done
    for conns in $CONNS; do
        for ((run = 1; run <= RUNS; run++)); do
            for server in "${NAMES[@]}"; do
                cpu0=$(cpu_seconds "${PID[$server]}")
                out=$(timeout 120 dotnet "$LOADGEN_DLL" -p "${PORT[$server]}" -c "$conns" -t "$CLIENT_THREADS" -d "$DEPTH" \
                    --get-ratio 0.9 --keys "$KEYS" --key-size "$KEY_SIZE" --value-size "$VALUE" \
                    --duration "$DURATION" --warmup "$WARMUP" --json | tail -n 1)
                cpu1=$(cpu_seconds "${PID[$server]}")
                printf '{"server":"%s","server_threads":%s,"conns":%s,"run":%s,"cpu_seconds":%s,"load":%s,"threads":%s,"loadgen":%s}\n' \
                    "$server" "$threads" "$conns" "$run" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.3f", b - a }')" \
                    "$(cut -d' ' -f1 /proc/loadavg)" "$(ls "/proc/${PID[$server]}/task" | wc -l)" "$out" >>"$RAW"
            done
            log "  t=$threads c=$conns run $run done"
        done
    done
    stop_servers
    unset PID PORT
done

log "raw runs: $RAW"
"$SYS_PYTHON" - "$RAW" <<'PY'
import json, statistics, sys
cells, order = {}, []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["server"] not in order:
        order.append(r["server"])
    ops = r["loadgen"]["all_ops"]
    cells.setdefault((r["server_threads"], r["conns"]), {}).setdefault(r["server"], []).append(
        (r["loadgen"]["ops_per_sec"], r["cpu_seconds"] / ops * 1e6, r["load"], r["loadgen"]["p99_us"], r["threads"]))
print("| -t | conns | server | median ops/s | vs memcached | server CPU µs/req | p99 µs | threads | load average |")
print("|---:|---:|---|---:|---:|---:|---:|---:|---|")
for (t, c), servers in sorted(cells.items()):
    base = statistics.median(x[0] for x in servers["memcached"])
    for name in order:
        runs = servers.get(name, [])
        if not runs:
            continue
        med = lambda i: statistics.median(x[i] for x in runs)
        loads = [x[2] for x in runs]
        print(f"| {t} | {c} | {name} | {med(0):,.0f} | {med(0) / base:.2f}x | {med(1):.2f} | {med(3):.0f} | {med(4):.0f} | {min(loads):.1f}-{max(loads):.1f} |")
PY
