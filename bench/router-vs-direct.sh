#!/usr/bin/env bash
# What the router costs: the same load straight to one cache node, through a router in front of that same
# node (a one-shard ring), and through a router in front of two nodes (a two-shard ring), in one run.
# Writes bench/results/router-vs-direct.md.
#
#   bench/router-vs-direct.sh            full matrix (2 conns x 2 depths x 3 targets x 3 runs, about 4 minutes)
#   bench/router-vs-direct.sh --quick    one cell, one run: a smoke test -> bench/results/raw/router-vs-direct-quick.md
#   options: --runs N  --duration S  --warmup S  --client-threads N  --server-threads N
#            --baseline-dll PATH   also measure a second build of cache-node.dll as a one-shard router in front of
#                                  node A (target router-1-shard-baseline), e.g. the commit before a change, built
#                                  elsewhere: before and after in the same run, alternating with the others
#            --router-flags "F"    more flags for the routers of this build (not the baseline's),
#                                  e.g. --router-flags "--transport direct"
#            --own-core            the routers run on CPU 1, the nodes and the load generator on CPU 0, as in a
#                                  cluster where the router has cores of its own: the router's cost is then its
#                                  extra hop, not CPU taken from the node and the load generator
#                                  -> bench/results/router-vs-direct-own-core.md
set -euo pipefail
cd "$(dirname "$0")/.."
COMMAND="bench/router-vs-direct.sh $*"

QUICK=0 RUNS=3 DURATION=3 WARMUP=1 CLIENT_THREADS=2 SERVER_THREADS=1 BASELINE_DLL= ROUTER_FLAGS= OWN_CORE=0
while (($#)); do
    case $1 in
        --quick) QUICK=1 ;;
        --runs) RUNS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --client-threads) CLIENT_THREADS=$2; shift ;;
        --server-threads) SERVER_THREADS=$2; shift ;;
        --baseline-dll) BASELINE_DLL=$(realpath "$2"); shift ;;
        --router-flags) ROUTER_FLAGS=$2; shift ;;
        --own-core) OWN_CORE=1 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

source bench/scripts/lib.sh

if ((QUICK)); then
    CONNS=(4) DEPTHS=(1)
    RUNS=1 DURATION=2 WARMUP=0.5
    OUT=bench/results/raw/router-vs-direct-quick.md
else
    CONNS=(4 50) DEPTHS=(1 8)
    OUT=bench/results/router-vs-direct.md
    ((OWN_CORE)) && OUT=bench/results/router-vs-direct-own-core.md
fi
KEYS=100000 KEY_SIZE=32 VALUE=100 GET_RATIO=0.9 MEMORY=1024
mkdir -p bench/results/raw
STAMP=$(date -u +%Y%m%dT%H%M%S)$( ((QUICK)) && echo -quick || true)
RAW=bench/results/raw/router-vs-direct-$STAMP.jsonl
PROFILE=bench/results/raw/router-vs-direct-$STAMP-profile.txt
: >"$RAW"
: >"$PROFILE"

log "building Release"
build_release

# ring_json <version> <port>...: a one-pool ring with one shard per port, 16384 buckets split evenly.
ring_json() {
    local version=$1 buckets=16384 n i first last
    shift
    local ports=("$@")
    n=$#
    local ranges=() shards=()
    for ((i = 0; i < n; i++)); do
        first=$((i * buckets / n))
        last=$(((i + 1) * buckets / n - 1))
        ranges+=("\"$first-$last:shard-$i\"")
        shards+=("{\"id\":\"shard-$i\",\"primary\":\"127.0.0.1:${ports[i]}\",\"replicas\":[]}")
    done
    local IFS=,
    # Heartbeats as a deployment would have them; hot keys cannot trigger under uniform keys at this rate.
    printf '{"schemaVersion":1,"version":%s,"defaultPool":"main","pools":[{"name":"main","prefixes":[],"bucketCount":%s,"buckets":[%s],"shards":[%s]}],' \
        "$version" "$buckets" "${ranges[*]}" "${shards[*]}"
    printf '"router":{"replicaReadPolicy":"random","writePolicy":"all","hotKeys":{"thresholdPerSecond":1000000,"copies":3,"copyTtlSeconds":10},'
    printf '"heartbeat":{"intervalMs":1000,"timeoutMs":2000,"failuresBeforeDown":3}}}\n'
}

# bench_router <ring file> [dll]: start_router at the run's -t; this build's routers get --router-flags.
bench_router() {
    local flags=()
    [[ -n ${2:-} ]] || read -r -a flags <<<"$ROUTER_FLAGS"
    start_router "${2:-$NODE_DLL}" "$1" "$SERVER_THREADS" "${flags[@]}"
}

# pin <cpu> <pid>: every thread of the process, and those it starts later, on one CPU (--own-core only).
pin() { ((OWN_CORE)) && taskset -a -p -c "$1" "$2" >/dev/null || true; }
LOADGEN_PIN=()
((OWN_CORE)) && LOADGEN_PIN=(taskset -c 0)

loadgen() {
    local port=$1 conns=$2 depth=$3
    timeout 120 "${LOADGEN_PIN[@]}" dotnet "$LOADGEN_DLL" -p "$port" -c "$conns" -t "$CLIENT_THREADS" -d "$depth" \
        --get-ratio "$GET_RATIO" --keys "$KEYS" --key-size "$KEY_SIZE" --value-size "$VALUE" \
        --duration "$DURATION" --warmup "$WARMUP" --json
}

delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# run_one <target> <port> <conns> <depth> <run>: one load run; CPU of every server process around it.
run_one() {
    local target=$1 port=$2 conns=$3 depth=$4 run=$5
    local a0 b0 r1_0 r2_0 r3_0=0 a1 b1 r1_1 r2_1 r3_1=0 t0 t1 out json
    a0=$(cpu_seconds "$NODE_A_PID") b0=$(cpu_seconds "$NODE_B_PID")
    r1_0=$(cpu_seconds "$ROUTER1_PID") r2_0=$(cpu_seconds "$ROUTER2_PID")
    [[ -n $BASELINE_DLL ]] && r3_0=$(cpu_seconds "$ROUTER3_PID")
    t0=$(date +%s.%N)
    out=$(loadgen "$port" "$conns" "$depth") || { log "loadgen failed against $target"; echo "$out" >&2; }
    t1=$(date +%s.%N)
    a1=$(cpu_seconds "$NODE_A_PID") b1=$(cpu_seconds "$NODE_B_PID")
    r1_1=$(cpu_seconds "$ROUTER1_PID") r2_1=$(cpu_seconds "$ROUTER2_PID")
    [[ -n $BASELINE_DLL ]] && r3_1=$(cpu_seconds "$ROUTER3_PID")
    json=$(tail -n 1 <<<"$out")
    [[ $json == \{* ]] || json=null
    printf '{"target":"%s","conns":%s,"depth":%s,"run":%s,"wall_seconds":%s,"cpu":{"node_a":%s,"node_b":%s,"router1":%s,"router2":%s,"router3":%s},"loadgen":%s}\n' \
        "$target" "$conns" "$depth" "$run" "$(delta "$t0" "$t1")" \
        "$(delta "$a0" "$a1")" "$(delta "$b0" "$b1")" "$(delta "$r1_0" "$r1_1")" "$(delta "$r2_0" "$r2_1")" "$(delta "$r3_0" "$r3_1")" "$json" >>"$RAW"
    log "  $target c=$conns d=$depth run $run: $(head -n 1 <<<"$out" | sed -E 's/.*\| ([0-9]+ ops\/s)[^,]*, [^,]*, (p50 [^ ]+) p90 [^ ]+ (p99 [^ ]+).*/\1 \2 \3/')"
}

# thread_ticks <pid>: "name ticks" per thread (utime + stime), names as the runtime sets them.
thread_ticks() {
    local task
    for task in /proc/"$1"/task/*; do
        local stat name
        stat=$(cat "$task/stat" 2>/dev/null) || continue
        name=${stat#*(}
        name=${name%%)*}
        echo "${name// /_} $(sed -E 's/^.*\) //' <<<"$stat" | awk '{ print $12 + $13 }')"
    done
}

# profile <label> <port> <conns> <depth> <pid>...: one extra run; per-thread CPU of each pid (grouped by
# thread name) and one `top -H` snapshot in the middle of the measured window.
profile() {
    local label=$1 port=$2 conns=$3 depth=$4
    shift 4
    local pid
    for pid in "$@"; do
        thread_ticks "$pid" >"$WORK_DIR/ticks.$pid.0"
    done
    loadgen "$port" "$conns" "$depth" >"$WORK_DIR/profile.out" &
    local load_pid=$!
    sleep "$(awk -v w="$WARMUP" -v d="$DURATION" 'BEGIN { print w + d / 2 }')"
    {
        echo "## $label: c=$conns d=$depth"
        echo
        for pid in "$@"; do
            echo "top -b -n1 -H -p $pid ($(tr '\0' ' ' </proc/"$pid"/cmdline | awk '{ print $3 }')):"
            top -b -n1 -H -p "$pid" | sed -n '7,16p'
            echo
        done
    } >>"$PROFILE"
    wait "$load_pid" || true
    for pid in "$@"; do
        thread_ticks "$pid" >"$WORK_DIR/ticks.$pid.1"
        {
            echo "CPU per thread name over the run, pid $pid (seconds):"
            # Threads are matched by name; a thread that came or went counts from zero.
            awk -v hz="$CLK_TCK" 'FNR == NR { before[$1] += $2; next } { after[$1] += $2 }
                END { for (n in after) { s = (after[n] - before[n]) / hz; if (s > 0.005) printf "  %-28s %7.2f\n", n, s } }' \
                "$WORK_DIR/ticks.$pid.0" "$WORK_DIR/ticks.$pid.1" | sort -k2 -nr
            echo
        } >>"$PROFILE"
    done
    echo "loadgen: $(head -n 1 "$WORK_DIR/profile.out")" >>"$PROFILE"
    echo >>"$PROFILE"
}

log "starting two cache nodes (-t $SERVER_THREADS -m $MEMORY)"
start_node "$SERVER_THREADS" "$MEMORY"
NODE_A_PID=$NODE_PID NODE_A_PORT=$NODE_PORT
start_node "$SERVER_THREADS" "$MEMORY"
NODE_B_PID=$NODE_PID NODE_B_PORT=$NODE_PORT
pin 0 "$NODE_A_PID"
pin 0 "$NODE_B_PID"
ring_json 1 "$NODE_A_PORT" >"$WORK_DIR/ring1.json"
ring_json 1 "$NODE_A_PORT" "$NODE_B_PORT" >"$WORK_DIR/ring2.json"
bench_router "$WORK_DIR/ring1.json"
ROUTER1_PID=$ROUTER_PID ROUTER1_PORT=$ROUTER_PORT
bench_router "$WORK_DIR/ring2.json"
ROUTER2_PID=$ROUTER_PID ROUTER2_PORT=$ROUTER_PORT
pin 1 "$ROUTER1_PID"
pin 1 "$ROUTER2_PID"
if [[ -n $BASELINE_DLL ]]; then
    bench_router "$WORK_DIR/ring1.json" "$BASELINE_DLL"
    ROUTER3_PID=$ROUTER_PID ROUTER3_PORT=$ROUTER_PORT
    log "baseline router (1 shard, $BASELINE_DLL) pid $ROUTER3_PID port $ROUTER3_PORT"
fi
log "node A pid $NODE_A_PID port $NODE_A_PORT; node B pid $NODE_B_PID port $NODE_B_PORT"
log "router (1 shard) pid $ROUTER1_PID port $ROUTER1_PORT; router (2 shards) pid $ROUTER2_PID port $ROUTER2_PORT"

# Node A gets every key directly; the two-shard router then writes its half to node B (and A's half again).
for port in "$NODE_A_PORT" "$ROUTER2_PORT"; do
    timeout 300 dotnet "$LOADGEN_DLL" -p "$port" -c 4 -t "$CLIENT_THREADS" --keys "$KEYS" --key-size "$KEY_SIZE" \
        --value-size "$VALUE" --prefill --duration 0 >/dev/null
done

for conns in "${CONNS[@]}"; do
    for depth in "${DEPTHS[@]}"; do
        # Runs alternate between the targets so drift on the shared machine hits all three alike.
        for ((run = 1; run <= RUNS; run++)); do
            run_one direct "$NODE_A_PORT" "$conns" "$depth" "$run"
            run_one router-1-shard "$ROUTER1_PORT" "$conns" "$depth" "$run"
            run_one router-2-shards "$ROUTER2_PORT" "$conns" "$depth" "$run"
            [[ -z $BASELINE_DLL ]] || run_one router-1-shard-baseline "$ROUTER3_PORT" "$conns" "$depth" "$run"
        done
    done
done

log "profiling one cell per target"
PROFILE_CONNS=${CONNS[-1]}
profile "direct" "$NODE_A_PORT" "$PROFILE_CONNS" 1 "$NODE_A_PID"
profile "router, 1 shard" "$ROUTER1_PORT" "$PROFILE_CONNS" 1 "$ROUTER1_PID" "$NODE_A_PID"

SUMMARY=$(
    "$SYS_PYTHON" - "$RAW" <<'PY'
import json, statistics, sys
from collections import defaultdict

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None

def f(v, p="{:,.0f}"):
    return "n/a" if v is None else p.format(v)

cells = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1], encoding="utf-8"):
    row = json.loads(line)
    cells[(row["conns"], row["depth"])][row["target"]].append(row)

ROUTERS = ("router1", "router2", "router3")

def stats(rows):
    ok = [r for r in rows if r["loadgen"] and not r["loadgen"].get("failure")]
    wall = lambda r: max(r["wall_seconds"], 1e-9)
    per_op = lambda r, k: r["cpu"][k] * 1e6 / r["loadgen"]["all_ops"] if r["loadgen"]["all_ops"] else None
    return {
        "ops": med([r["loadgen"]["ops_per_sec"] for r in ok]),
        "p50": med([r["loadgen"]["p50_us"] for r in ok]),
        "p99": med([r["loadgen"]["p99_us"] for r in ok]),
        "hit": med([r["loadgen"]["hit_ratio"] for r in ok]),
        "nodes": med([(r["cpu"]["node_a"] + r["cpu"]["node_b"]) / wall(r) for r in ok]),
        "nodes_op": med([(per_op(r, "node_a") or 0) + (per_op(r, "node_b") or 0) for r in ok]),
        "router": med([sum(r["cpu"].get(k, 0) for k in ROUTERS) / wall(r) for r in ok]),
        "router_op": med([sum(per_op(r, k) or 0 for k in ROUTERS if k in r["cpu"]) for r in ok]),
        "errors": sum(r["loadgen"]["errors"] for r in ok),
        "failed": len(rows) - len(ok),
        "runs": len(rows),
    }

targets = ["direct", "router-1-shard", "router-2-shards"]
if any("router-1-shard-baseline" in c for c in cells.values()):
    targets.append("router-1-shard-baseline")
print("| conns | depth | target | ops/s | p50 / p99 µs | router cost (throughput) | added p50 µs | node CPU cores (µs/op) | router CPU cores (µs/op) | hit ratio | errors / failed runs |")
print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
costs, added = [], []
for key in sorted(cells):
    direct = stats(cells[key].get("direct", []))
    for t in targets:
        s = stats(cells[key].get(t, []))
        cost = add = None
        if t != "direct" and direct["ops"] and s["ops"] is not None:
            cost = (direct["ops"] - s["ops"]) / direct["ops"]
            add = s["p50"] - direct["p50"] if s["p50"] is not None and direct["p50"] is not None else None
            costs.append((t, key, cost))
            if add is not None:
                added.append((t, key, add))
        router = "–" if t == "direct" else f"{f(s['router'], '{:.2f}')} ({f(s['router_op'], '{:.1f}')})"
        print(f"| {key[0]} | {key[1]} | {t} | {f(s['ops'])} | {f(s['p50'], '{:.0f}')} / {f(s['p99'], '{:.0f}')} "
              f"| {'–' if t == 'direct' else f(cost, '{:.0%}')} | {'–' if t == 'direct' else f(add, '{:+.0f}')} "
              f"| {f(s['nodes'], '{:.2f}')} ({f(s['nodes_op'], '{:.1f}')}) | {router} | {f(s['hit'], '{:.3f}')} "
              f"| {s['errors']} / {s['failed']} of {s['runs']} |")
print()
for t in targets[1:]:
    c = [x for (tt, _, x) in costs if tt == t]
    a = [x for (tt, _, x) in added if tt == t]
    if c:
        ok_c = sum(1 for x in c if x <= 0.30)
        ok_a = sum(1 for x in a if x < 100)
        print(f"- {t}: throughput cost {min(c):.0%} to {max(c):.0%} (goal ≤ 30%: met in {ok_c} of {len(c)} cells); "
              f"added p50 {min(a):+.0f} to {max(a):+.0f} µs (goal < 100 µs: met in {ok_a} of {len(a)} cells).")
PY
)

{
    echo "# Router vs direct access"
    echo
    echo "Generated $(date -u '+%Y-%m-%d %H:%M') UTC by \`$COMMAND\` (commit $(git rev-parse --short HEAD))."
    echo
    echo "Workload: ${GET_RATIO} gets / rest sets, ${KEY_SIZE}-byte keys over ${KEYS} keys (uniform, prefilled), ${VALUE}-byte values,"
    echo "${DURATION} s measured after ${WARMUP} s warm-up, ${RUNS} run(s) per cell alternating between the targets, median of the runs"
    echo "reported. Load generator: bench/CacheOperator.LoadGen, ${CLIENT_THREADS} client threads, on the same machine over loopback."
    if ((OWN_CORE)); then
        echo
        echo "**Own core** (\`--own-core\`): the routers are pinned to CPU 1, both nodes and the load generator to CPU 0 (\`taskset\`),"
        echo "as in a cluster where routers run on cores of their own. *direct* gets CPU 0 only, and CPU 1 is idle while it runs."
    fi
    echo
    echo "Targets, all up for the whole run:"
    echo
    echo "- **direct**: node A, \`dotnet $NODE_DLL node -p 0 --admin-port 0 -m $MEMORY -t $SERVER_THREADS\`."
    echo "- **router-1-shard**: \`cache-node.dll router --ring <ring> -p 0 --admin-port 0 -t $SERVER_THREADS${ROUTER_FLAGS:+ $ROUTER_FLAGS}\`, a one-shard ring whose"
    echo "  only shard is node A (the same process as *direct*), 2 backend connections (the default)."
    echo "- **router-2-shards**: a second router of the same kind, two-shard ring over node A and node B (a second node like A)."
    [[ -z $BASELINE_DLL ]] || echo "- **router-1-shard-baseline**: as router-1-shard, but \`$BASELINE_DLL\` (another build, for before/after in one run)."
    echo
    echo "Router cost = (direct − router) / direct throughput of the same cell; added p50 = router p50 − direct p50."
    echo "Goal (issue 3): cost ≤ 30% and added p50 < 100 µs on loopback. CPU = utime + stime from /proc/<pid>/stat"
    echo "across the loadgen run (warm-up included), in cores busy and µs per request; node CPU is A + B, router CPU"
    echo "is all routers (the idle ones only heartbeat)."
    echo
    echo "$SUMMARY"
    echo
    echo "## Reading"
    echo
    echo "(Written by hand after the run: see the committed bench/results/router-vs-direct.md.)"
    echo
    echo "## Where the time goes (one extra run per target, c=$PROFILE_CONNS d=1)"
    echo
    echo '```'
    cat "$PROFILE"
    echo '```'
    echo
    echo "## Machine"
    echo
    machine_info
    echo
    echo "Raw results: \`$RAW\` (not committed)."
} >"$OUT"
log "wrote $OUT"
