#!/usr/bin/env bash
# The router's two client transports (--transport direct and kestrel) side by side, same build: one node, one
# router of each kind in front of it (a one-shard ring), alternating load runs, so drift on the shared machine hits
# both alike. Per run: throughput, p50/p99, and per request the router's system calls (perf stat; all, sendto,
# recvfrom, epoll_wait), context switches and CPU (perf task-clock; user and system from /proc), each over the
# whole load run (warm-up included) divided by the requests of that window at the measured rate. Prints one line
# per run and the medians per target; the raw lines go to bench/results/raw/router-transports-*.txt.
#
#   bench/router-transports.sh                       c=4 and 50, depth 1 and 8, 5 runs (~5 minutes)
#   options: --conns "4 50"  --depths "1 8"  --runs N  --duration S
#   needs perf (linux-perf) with permission to attach to the router (root, or perf_event_paranoid <= 1)
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS="4 50" DEPTHS="1 8" RUNS=5 DURATION=3 WARMUP=0.5 KEYS=100000 KEY_SIZE=32 VALUE=100 CLIENT_THREADS=2
while (($#)); do
    case $1 in
        --conns) CONNS=$2; shift ;;
        --depths) DEPTHS=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

source bench/scripts/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM
command -v perf >/dev/null || { log "perf is not installed"; exit 1; }
mkdir -p bench/results/raw
RAW=bench/results/raw/router-transports-$(date -u +%Y%m%dT%H%M%S).txt
: >"$RAW"

log "building Release"
build_release
start_node 1 1024
cat >"$WORK_DIR/ring.json" <<JSON
{"schemaVersion":1,"version":1,"defaultPool":"main","pools":[{"name":"main","prefixes":[],"bucketCount":16384,
"buckets":["0-16383:shard-0"],"shards":[{"id":"shard-0","primary":"127.0.0.1:$NODE_PORT","replicas":[]}]}],
"router":{"replicaReadPolicy":"random","writePolicy":"all","hotKeys":{"thresholdPerSecond":1000000,"copies":3,
"copyTtlSeconds":10},"heartbeat":{"intervalMs":1000,"timeoutMs":2000,"failuresBeforeDown":3}}}
JSON

declare -A PID PORT
for transport in direct kestrel; do
    start_router "$NODE_DLL" "$WORK_DIR/ring.json" 1 --transport "$transport"
    PID[$transport]=$ROUTER_PID PORT[$transport]=$ROUTER_PORT
done
timeout 300 dotnet "$LOADGEN_DLL" -p "$NODE_PORT" -c 4 -t "$CLIENT_THREADS" --keys "$KEYS" --key-size "$KEY_SIZE" \
    --value-size "$VALUE" --prefill --duration 0 >/dev/null
log "node port $NODE_PORT; routers: direct ${PORT[direct]}, kestrel ${PORT[kestrel]}; load $(cut -d' ' -f1-3 /proc/loadavg)"

# ticks <pid>: utime and stime of the process, in clock ticks.
ticks() { sed -E 's/^.*\) //' "/proc/$1/stat" | awk '{ print $12, $13 }'; }

for conns in $CONNS; do
    for depth in $DEPTHS; do
        for ((run = 1; run <= RUNS; run++)); do
            for transport in direct kestrel; do
                pid=${PID[$transport]}
                window=$(awk -v w="$WARMUP" -v d="$DURATION" 'BEGIN { print w + d + 0.1 }')
                perf stat -x, -o "$WORK_DIR/perf" -p "$pid" \
                    -e raw_syscalls:sys_enter,syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_epoll_wait,context-switches,task-clock \
                    -- sleep "$window" &
                perf_pid=$!
                read -r u0 s0 < <(ticks "$pid")
                json=$(timeout 120 dotnet "$LOADGEN_DLL" -p "${PORT[$transport]}" -c "$conns" -t "$CLIENT_THREADS" -d "$depth" \
                    --get-ratio 0.9 --keys "$KEYS" --key-size "$KEY_SIZE" --value-size "$VALUE" \
                    --duration "$DURATION" --warmup "$WARMUP" --json | tail -n 1) || json=null
                read -r u1 s1 < <(ticks "$pid")
                wait "$perf_pid" || true
                "$SYS_PYTHON" - "$transport" "$conns" "$depth" "$run" "$json" "$WORK_DIR/perf" "$window" \
                    $((u1 - u0)) $((s1 - s0)) "$CLK_TCK" <<'PY' | tee -a "$RAW"
import json, sys
transport, conns, depth, run, raw, perf, window, ut, st, hz = sys.argv[1:]
j = json.loads(raw) if raw != "null" else None
if not j or not j.get("ops_per_sec"):
    print(f"{transport} c={conns} d={depth} run {run}: load run failed")
    sys.exit()
counts = {}
for line in open(perf):
    parts = line.strip().split(",")
    if len(parts) > 3 and parts[0][:1].isdigit():
        counts[parts[2]] = float(parts[0])
n = j["ops_per_sec"] * float(window)
per = lambda k: counts.get(k, 0) / n
tick_us = 1e6 / int(hz) / n
print(f"{transport} c={conns} d={depth} run {run}: {j['ops_per_sec']:.0f} ops/s p50 {j['p50_us']:.0f} p99 {j['p99_us']:.0f}"
      f" | per request: syscalls {per('raw_syscalls:sys_enter'):.2f} sendto {per('syscalls:sys_enter_sendto'):.2f}"
      f" recvfrom {per('syscalls:sys_enter_recvfrom'):.2f} epoll_wait {per('syscalls:sys_enter_epoll_wait'):.2f}"
      f" cs {per('context-switches'):.2f} cpu_us {per('task-clock') * 1000:.1f}"
      f" user_us {int(ut) * tick_us:.1f} sys_us {int(st) * tick_us:.1f}")
PY
            done
        done
    done
done
log "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "medians per cell and transport ($RUNS runs; load at start $LOAD_AT_START):"
"$SYS_PYTHON" - "$RAW" <<'PY'
import re, statistics, sys
from collections import defaultdict
rows = defaultdict(list)
pattern = re.compile(r"(\w+) (c=\d+ d=\d+) run \d+: (\d+) ops/s p50 (\d+) .*syscalls ([\d.]+) .*cpu_us ([\d.]+) user_us ([\d.]+) sys_us ([\d.]+)")
for line in open(sys.argv[1]):
    m = pattern.match(line)
    if m:
        rows[(m.group(2), m.group(1))].append([float(x) for x in m.groups()[2:]])
for (cell, transport), values in sorted(rows.items()):
    med = [statistics.median(column) for column in zip(*values)]
    print(f"  {cell} {transport:8} {med[0]:>9,.0f} ops/s  p50 {med[1]:.0f} us  syscalls/req {med[2]:.2f}"
          f"  cpu us/req {med[3]:.1f} (user {med[4]:.1f}, sys {med[5]:.1f})")
PY
