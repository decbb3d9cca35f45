#!/usr/bin/env bash
# Router CPU, system calls and context switches per request, for one or more builds side by side.
# One node (-t 1) and the load generator on CPU 0; one one-shard router per variant, each -t 1 on CPU 1 (as
# router-vs-direct.sh --own-core; --shared-cores pins nothing). Per cell and run, each router in turn gets the same LoadGen run while perf stat is
# attached to it; the figures are divided by the exact number of client requests it served (its `stats` cmd_total
# before and after). Also user/system time and the CPU of the threads other than `.NET Sockets` (thread pool, timers,
# GC, JIT), from /proc. Prints one line per run; raw lines go to bench/results/raw/router-cpu-*.txt.
#
#   bench/router-cpu.sh before=/tmp/before/cache-node.dll after=cache-node/src/CacheOperator.CacheNode/bin/Release/net10.0/cache-node.dll
#   bench/router-cpu.sh --cells "4:1 4:8 50:1" --runs 5 'nospin=path/cache-node.dll|DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0'
#   a variant is name=<cache-node.dll>[|VAR=value,VAR=value[|router flags]] (environment and flags for that router
#   only, e.g. 'one=path/cache-node.dll||--backend-connections 1'); the node runs the
#   first variant's build. Builds nothing: build Release and copy the "before" build aside first.
#   other options: --shared-cores  --raw-name NAME (raw file bench/results/raw/NAME-<time>.txt; router-transports.sh
#   uses it)
#   needs perf with permission to attach (root, or perf_event_paranoid <= 1)
set -euo pipefail
cd "$(dirname "$0")/.."

CELLS="4:1 4:8" RUNS=3 DURATION=3 WARMUP=0.5 VARIANTS=() RAW_NAME=router-cpu
PIN_NODE=(taskset -c 0) PIN_ROUTER=(taskset -c 1)
while (($#)); do
    case $1 in
        --cells) CELLS=$2; shift ;;
        --shared-cores) PIN_NODE=() PIN_ROUTER=() ;;
        --raw-name) RAW_NAME=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --*) echo "unknown option $1" >&2; exit 2 ;;
        *) VARIANTS+=("$1") ;;
    esac
    shift
done
((${#VARIANTS[@]})) || { echo "usage: $0 [--cells \"4:1 4:8\"] [--runs N] [--duration S] name=dll[|VAR=value,...] ..." >&2; exit 2; }

source bench/scripts/lib.sh
command -v perf >/dev/null || { log "perf is not installed"; exit 1; }
mkdir -p bench/results/raw
RAW=bench/results/raw/$RAW_NAME-$(date -u +%Y%m%dT%H%M%S).txt
: >"$RAW"

first=${VARIANTS[0]#*=}
node_log="$WORK_DIR/node.log"
"${PIN_NODE[@]}" dotnet "${first%%|*}" node -p 0 --admin-port 0 -m 1024 -t 1 >"$node_log" 2>&1 &
NODE_PID=$!
SERVER_PIDS+=("$NODE_PID")
wait_ready "$NODE_PID" "$node_log" node
NODE_PORT=$(sed -E 's/.*memcached=[^ ]*:([0-9]+).*/\1/' <<<"$READY_LINE")
cat >"$WORK_DIR/ring.json" <<JSON
{"schemaVersion":1,"version":1,"defaultPool":"main","pools":[{"name":"main","prefixes":[],"bucketCount":16384,
"buckets":["0-16383:shard-0"],"shards":[{"id":"shard-0","primary":"127.0.0.1:$NODE_PORT","replicas":[]}]}],
"router":{"replicaReadPolicy":"random","writePolicy":"all","hotKeys":{"thresholdPerSecond":1000000,"copies":3,
"copyTtlSeconds":10},"heartbeat":{"intervalMs":1000,"timeoutMs":2000,"failuresBeforeDown":3}}}
JSON

declare -A PID PORT
NAMES=()
for variant in "${VARIANTS[@]}"; do
    name=${variant%%=*} rest=${variant#*=}
    dll=${rest%%|*} envs= flags=
    [[ $rest == *"|"* ]] && envs=${rest#*|}
    [[ $envs == *"|"* ]] && flags=${envs#*|} && envs=${envs%%|*}
    out="$WORK_DIR/router-$name.log"
    # shellcheck disable=SC2086 # the variables are meant to split into words
    env ${envs//,/ } "${PIN_ROUTER[@]}" dotnet "$dll" router --ring "$WORK_DIR/ring.json" -p 0 --admin-port 0 -t 1 $flags >"$out" 2>&1 &
    PID[$name]=$!
    SERVER_PIDS+=("${PID[$name]}")
    wait_ready "${PID[$name]}" "$out" "router $name"
    PORT[$name]=$(sed -E 's/.*memcached=[^ ]*:([0-9]+).*/\1/' <<<"$READY_LINE")
    NAMES+=("$name")
    log "router $name: pid ${PID[$name]}, $dll ${envs:+($envs)} $flags" 2>&1 | tee -a "$RAW" >&2
done

"${PIN_NODE[@]}" timeout 300 dotnet "$LOADGEN_DLL" -p "$NODE_PORT" -c 4 -t 2 --keys 100000 --key-size 32 --value-size 100 \
    --prefill --duration 0 >/dev/null
# Tiered compilation keeps recompiling for seconds after start: every router gets the same 9 s of load first.
for depth in 1 8 1; do
    for name in "${NAMES[@]}"; do
        "${PIN_NODE[@]}" timeout 60 dotnet "$LOADGEN_DLL" -p "${PORT[$name]}" -c 4 -t 2 -d "$depth" --keys 100000 \
            --duration 3 --warmup 0 >/dev/null
    done
done

# cmd_total <port>: the router's count of client requests (its own `stats`; the stats request itself counts one).
cmd_total() {
    local line total=0
    exec 5<>"/dev/tcp/127.0.0.1/$1"
    printf 'stats\r\n' >&5
    while IFS= read -r -t 5 line <&5; do
        line=${line%$'\r'}
        [[ $line == "STAT cmd_total "* ]] && total=${line##* }
        [[ $line == END ]] && break
    done
    exec 5>&-
    echo "$total"
}
# thread_ticks <pid>: "<thread name> <utime+stime ticks>" per thread.
thread_ticks() {
    local task
    for task in /proc/"$1"/task/*; do
        sed -E 's/^.*\) //' "$task/stat" | awk -v name="$(tr ' ' '_' <"$task/comm")" '{ print name, $12 + $13 }'
    done 2>/dev/null
}
ticks() { sed -E 's/^.*\) //' "/proc/$1/stat" | awk '{ print $12, $13 }'; }

log "load $(cut -d' ' -f1-3 /proc/loadavg)" 2>&1 | tee -a "$RAW" >&2
for cell in $CELLS; do
    conns=${cell%:*} depth=${cell#*:}
    for ((run = 1; run <= RUNS; run++)); do
        for name in "${NAMES[@]}"; do
            pid=${PID[$name]}
            if ! kill -0 "$pid" 2>/dev/null; then
                log "router $name (pid $pid) is gone; its log:"
                tail -n 40 "$WORK_DIR/router-$name.log" >&2
                exit 1
            fi
            before=$(cmd_total "${PORT[$name]}")
            read -r u0 s0 < <(ticks "$pid")
            thread_ticks "$pid" >"$WORK_DIR/threads0"
            perf stat -x, -o "$WORK_DIR/perf" -p "$pid" -e task-clock,context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_epoll_wait &
            perf_pid=$!
            sleep 0.2
            json=$("${PIN_NODE[@]}" timeout 60 dotnet "$LOADGEN_DLL" -p "${PORT[$name]}" -c "$conns" -t 2 -d "$depth" \
                --get-ratio 0.9 --keys 100000 --key-size 32 --value-size 100 --duration "$DURATION" --warmup "$WARMUP" \
                --json | tail -n 1) || json=null
            kill -INT "$perf_pid" 2>/dev/null || true
            wait "$perf_pid" || true
            read -r u1 s1 < <(ticks "$pid")
            thread_ticks "$pid" >"$WORK_DIR/threads1"
            after=$(cmd_total "${PORT[$name]}")
            "$SYS_PYTHON" - "$name" "$conns" "$depth" "$run" "$json" "$WORK_DIR" $((after - before - 1)) $((u1 - u0)) \
                $((s1 - s0)) "$CLK_TCK" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY' | tee -a "$RAW"
import collections, json, sys
name, conns, depth, run, raw, work, n, ut, st, hz, load = sys.argv[1:]
n = int(n)
try:
    j = json.loads(raw)
except ValueError:
    j = None  # the load generator printed no JSON (it failed): the run is reported as failed, the others go on
if not j or not j.get("ops_per_sec") or n <= 0:
    print(f"{name} c={conns} d={depth} run {run}: load run failed")
    sys.exit()
counts = {}
for line in open(f"{work}/perf"):
    parts = line.strip().split(",")
    if len(parts) > 3 and parts[0][:1].isdigit():
        counts[parts[2]] = float(parts[0])
def threads(path):
    total = collections.Counter()
    for line in open(path):
        fields = line.split()
        if len(fields) == 2:
            total[fields[0]] += int(fields[1])
    return total
t0, t1 = threads(f"{work}/threads0"), threads(f"{work}/threads1")
other = sum(t1[k] - t0[k] for k in t1 if "Sockets" not in k)
tick_us = 1e6 / int(hz) / n
per = lambda k: counts.get(k, 0) / n
print(f"{name} c={conns} d={depth} run {run}: {j['ops_per_sec']:.0f} ops/s p50 {j['p50_us']:.0f} p99 {j['p99_us']:.0f} | per request:"
      f" cpu_us {per('task-clock') * 1000:.2f} user_us {int(ut) * tick_us:.2f} sys_us {int(st) * tick_us:.2f}"
      f" other_threads_us {other * tick_us:.2f} syscalls {per('raw_syscalls:sys_enter'):.2f}"
      f" sendto {per('syscalls:sys_enter_sendto'):.2f} recvfrom {per('syscalls:sys_enter_recvfrom'):.2f}"
      f" epoll_wait {per('syscalls:sys_enter_epoll_wait'):.2f} cs {per('context-switches'):.2f} | load {load}"
      f" | other threads: " + " ".join(f"{k} {(t1[k] - t0[k]) * tick_us:.2f}" for k in sorted(t1, key=lambda k: t0[k] - t1[k])
                                      if "Sockets" not in k and t1[k] > t0[k]))
PY
        done
    done
done
log "load $(cut -d' ' -f1-3 /proc/loadavg)" 2>&1 | tee -a "$RAW" >&2

echo
echo "medians per cell and variant ($RUNS runs):"
"$SYS_PYTHON" - "$RAW" <<'PY'
import re, statistics, sys
from collections import defaultdict
rows = defaultdict(list)
pattern = re.compile(r"(\S+) (c=\d+ d=\d+) run \d+: (\d+) ops/s p50 (\d+) .*cpu_us ([\d.]+) user_us ([\d.]+) sys_us ([\d.]+)"
                     r" other_threads_us ([\d.]+) syscalls ([\d.]+) .*cs ([\d.]+)")
for line in open(sys.argv[1]):
    m = pattern.match(line)
    if m:
        rows[(m.group(2), m.group(1))].append([float(x) for x in m.groups()[2:]])
for (cell, name), values in sorted(rows.items()):
    med = [statistics.median(column) for column in zip(*values)]
    print(f"  {cell} {name:10} {med[0]:>9,.0f} ops/s  p50 {med[1]:.0f} us  cpu {med[2]:.2f} us/req (user {med[3]:.2f},"
          f" sys {med[4]:.2f}, threads but the socket thread {med[5]:.2f})  syscalls {med[6]:.2f}/req  cs {med[7]:.2f}/req")
PY
