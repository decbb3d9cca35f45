#!/usr/bin/env bash
# Runs the same load matrix against Debian's memcached and our cache node, in one run, and writes
# bench/results/node-vs-memcached.md. Both servers run with the same -m and -t; the load generator
# runs on the same machine (loopback only).
#
#   bench/node-vs-memcached.sh            full matrix (16 cells x 2 servers x 3 runs, about 10 minutes)
#   bench/node-vs-memcached.sh --quick    one cell, one run: a smoke test
#   options: --runs N  --duration S  --warmup S  --client-threads N
set -euo pipefail
cd "$(dirname "$0")/.."
COMMAND="bench/node-vs-memcached.sh $*"

QUICK=0 RUNS=3 DURATION=3 WARMUP=1 CLIENT_THREADS=2
while (($#)); do
    case $1 in
        --quick) QUICK=1 ;;
        --runs) RUNS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --client-threads) CLIENT_THREADS=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

source bench/scripts/lib.sh

if ((QUICK)); then
    THREADS=(1) VALUES=(100) CONNS=(4) DEPTHS=(1)
    RUNS=1 DURATION=2 WARMUP=0.5
    OUT=bench/results/raw/node-vs-memcached-quick.md
else
    THREADS=(1 2) VALUES=(100 1000) CONNS=(4 100) DEPTHS=(1 16)
    OUT=bench/results/node-vs-memcached.md
fi
KEYS=100000 KEY_SIZE=32 GET_RATIO=0.9
mkdir -p bench/results/raw
RAW=bench/results/raw/node-vs-memcached-$(date -u +%Y%m%dT%H%M%S)$( ((QUICK)) && echo -quick || true).jsonl
: >"$RAW"

log "building Release"
build_release

# run_one <server> <pid> <port> <threads> <value> <conns> <depth> <run>: one load run, one JSON line in $RAW.
run_one() {
    local server=$1 pid=$2 port=$3 threads=$4 value=$5 conns=$6 depth=$7 run=$8
    local cpu0 cpu1 t0 t1 out
    cpu0=$(cpu_seconds "$pid")
    t0=$(date +%s.%N)
    out=$(timeout 120 dotnet "$LOADGEN_DLL" -p "$port" -c "$conns" -t "$CLIENT_THREADS" -d "$depth" \
        --get-ratio "$GET_RATIO" --keys "$KEYS" --key-size "$KEY_SIZE" --value-size "$value" \
        --duration "$DURATION" --warmup "$WARMUP" --json) || { log "loadgen failed against $server"; echo "$out" >&2; }
    t1=$(date +%s.%N)
    cpu1=$(cpu_seconds "$pid")
    local json
    json=$(tail -n 1 <<<"$out")
    [[ $json == \{* ]] || json=null
    printf '{"server":"%s","server_threads":%s,"value":%s,"conns":%s,"depth":%s,"run":%s,"cpu_seconds":%s,"wall_seconds":%s,"loadgen":%s}\n' \
        "$server" "$threads" "$value" "$conns" "$depth" "$run" \
        "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.3f", b - a }')" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "$json" >>"$RAW"
    log "  $server t=$threads v=$value c=$conns d=$depth run $run: $(head -n 1 <<<"$out" | sed -E 's/.*\| ([0-9]+ ops\/s)[^,]*, [^,]*, (p50 [^ ]+) p90 [^ ]+ (p99 [^ ]+).*/\1 \2 \3/')"
}

prefill() {
    local port=$1 value=$2
    timeout 300 dotnet "$LOADGEN_DLL" -p "$port" -c 4 -t "$CLIENT_THREADS" --keys "$KEYS" --key-size "$KEY_SIZE" \
        --value-size "$value" --prefill --duration 0 >/dev/null
}

for threads in "${THREADS[@]}"; do
    log "starting memcached and cache-node with -t $threads -m 1024"
    start_memcached "$threads" 1024
    start_node "$threads" 1024
    log "memcached pid $MC_PID port $MC_PORT; cache-node pid $NODE_PID port $NODE_PORT admin $NODE_ADMIN_PORT"
    for value in "${VALUES[@]}"; do
        prefill "$MC_PORT" "$value"
        prefill "$NODE_PORT" "$value"
        for conns in "${CONNS[@]}"; do
            for depth in "${DEPTHS[@]}"; do
                # Runs alternate between the servers so drift on the shared machine hits both alike.
                for ((run = 1; run <= RUNS; run++)); do
                    run_one memcached "$MC_PID" "$MC_PORT" "$threads" "$value" "$conns" "$depth" "$run"
                    run_one cache-node "$NODE_PID" "$NODE_PORT" "$threads" "$value" "$conns" "$depth" "$run"
                done
            done
        done
    done
    stop_servers
done

{
    echo "# cache-node vs memcached"
    echo
    echo "Generated $(date -u '+%Y-%m-%d %H:%M') UTC by \`$COMMAND\` (commit $(git rev-parse --short HEAD))."
    echo
    echo "Workload: ${GET_RATIO} gets / rest sets, ${KEY_SIZE}-byte keys over ${KEYS} keys (uniform, prefilled), ${DURATION} s measured after ${WARMUP} s warm-up,"
    echo "${RUNS} run(s) per cell alternating between the servers, median of the runs reported. Load generator: bench/CacheOperator.LoadGen,"
    echo "${CLIENT_THREADS} client threads, on the same machine over loopback (it competes with the server for the same cores)."
    echo "Servers: \`memcached -p <port> -l 127.0.0.1 -U 0 -u root -m 1024 -t T\` and"
    echo "\`dotnet $NODE_DLL node -p 0 --admin-port 0 -m 1024 -t T\`."
    echo "Server CPU = (utime + stime) from /proc/<pid>/stat across the loadgen run (warm-up included), as cores busy"
    echo "and as microseconds per request (requests during warm-up included)."
    echo
    "$SYS_PYTHON" bench/scripts/summarize_node_vs_memcached.py "$RAW"
    echo
    echo "Machine:"
    echo
    machine_info
    echo
    echo "Raw results: \`$RAW\` (not committed)."
} >"$OUT"
log "wrote $OUT"
