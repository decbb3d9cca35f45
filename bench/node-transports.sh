#!/usr/bin/env bash
# The node's two memcached transports (--transport kestrel and direct) against memcached on the depth-1 cells,
# the cells where the node's fixed cost per read shows. Three servers run at once with the same -t and -m; every
# run measures them one after the other, so drift on the shared machine hits all three alike. Prints the median
# of the runs per cell; the raw runs go to bench/results/raw/.
#
#   bench/node-transports.sh                     -t 1 and -t 2, 4 and 100 connections, 100-byte values, 7 runs
#   options: --threads "1 2"  --conns "4 100"  --runs N  --duration S  --warmup S
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS="1 2" CONNS="4 100" RUNS=7 DURATION=3 WARMUP=1 VALUE=100 KEYS=100000 KEY_SIZE=32 CLIENT_THREADS=2
while (($#)); do
    case $1 in
        --threads) THREADS=$2; shift ;;
        --conns) CONNS=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

source bench/scripts/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p bench/results/raw
RAW=bench/results/raw/node-transports-$(date -u +%Y%m%dT%H%M%S).jsonl
: >"$RAW"

log "building Release"
build_release

for threads in $THREADS; do
    declare -A PID=() PORT=()
    start_memcached "$threads" 1024
    PID[memcached]=$MC_PID PORT[memcached]=$MC_PORT
    for transport in kestrel direct; do
        start_node "$threads" 1024 --transport "$transport"
        PID[$transport]=$NODE_PID PORT[$transport]=$NODE_PORT
    done
    for server in memcached kestrel direct; do
        timeout 300 dotnet "$LOADGEN_DLL" -p "${PORT[$server]}" -c 4 -t "$CLIENT_THREADS" --keys "$KEYS" \
            --key-size "$KEY_SIZE" --value-size "$VALUE" --prefill --duration 0 >/dev/null
    done
    for conns in $CONNS; do
        for ((run = 1; run <= RUNS; run++)); do
            for server in memcached kestrel direct; do
                cpu0=$(cpu_seconds "${PID[$server]}")
                out=$(timeout 120 dotnet "$LOADGEN_DLL" -p "${PORT[$server]}" -c "$conns" -t "$CLIENT_THREADS" -d 1 \
                    --get-ratio 0.9 --keys "$KEYS" --key-size "$KEY_SIZE" --value-size "$VALUE" \
                    --duration "$DURATION" --warmup "$WARMUP" --json | tail -n 1)
                cpu1=$(cpu_seconds "${PID[$server]}")
                printf '{"server":"%s","server_threads":%s,"conns":%s,"run":%s,"cpu_seconds":%s,"load":%s,"loadgen":%s}\n' \
                    "$server" "$threads" "$conns" "$run" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.3f", b - a }')" \
                    "$(cut -d' ' -f1 /proc/loadavg)" "$out" >>"$RAW"
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
cells = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    ops = r["loadgen"]["all_ops"]
    cells.setdefault((r["server_threads"], r["conns"]), {}).setdefault(r["server"], []).append(
        (r["loadgen"]["ops_per_sec"], r["cpu_seconds"] / ops * 1e6, r["load"]))
print("| -t | conns | server | median ops/s | vs memcached | server CPU µs/req | load average |")
print("|---:|---:|---|---:|---:|---:|---|")
for (t, c), servers in sorted(cells.items()):
    base = statistics.median(x[0] for x in servers["memcached"])
    for name in ("memcached", "kestrel", "direct"):
        runs = servers.get(name, [])
        if not runs:
            continue
        ops = statistics.median(x[0] for x in runs)
        cpu = statistics.median(x[1] for x in runs)
        loads = [x[2] for x in runs]
        label = "cache-node " + name if name != "memcached" else name
        print(f"| {t} | {c} | {label} | {ops:,.0f} | {ops / base:.2f}x | {cpu:.2f} | {min(loads):.1f}-{max(loads):.1f} |")
PY
