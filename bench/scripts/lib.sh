# Shared helpers for the bench scripts: build, start and stop servers, read their CPU and memory.
# Sourced, not run. Expects to be sourced from the repository root with `set -euo pipefail`.

NODE_DLL=cache-node/src/CacheOperator.CacheNode/bin/Release/net10.0/cache-node.dll
LOADGEN_DLL=bench/CacheOperator.LoadGen/bin/Release/net10.0/loadgen.dll
SYS_PYTHON=/usr/bin/python3
CLK_TCK=$(getconf CLK_TCK)
SERVER_PIDS=()
WORK_DIR=$(mktemp -d /tmp/cacheop-bench.XXXXXX)
# Other work on the machine skews every figure; the reports record how busy it was.
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

# Every script that sources this stops its servers and removes WORK_DIR however it ends (a script with more to
# clean sets its own EXIT trap after sourcing, calling cleanup from it); Ctrl-C exits with 130.
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Builds with retries: other engineers build in the same tree, and a concurrent build can hold a file.
build_release() {
    local project
    for project in cache-node/src/CacheOperator.CacheNode/CacheOperator.CacheNode.csproj \
                   bench/CacheOperator.LoadGen/CacheOperator.LoadGen.csproj; do
        local attempt
        for attempt in 1 2 3 4 5; do
            if dotnet build -c Release -nologo -v q "$project" >"$WORK_DIR/build.log" 2>&1; then
                break
            fi
            if [[ $attempt == 5 ]]; then
                cat "$WORK_DIR/build.log" >&2
                log "build of $project failed"
                return 1
            fi
            log "build of $project failed (attempt $attempt), retrying in 5 s"
            sleep 5
        done
    done
}

# Stops every server this script started: SIGTERM, then SIGKILL after 5 s. Called by cleanup, the EXIT trap.
stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        local waited=0
        while kill -0 "$pid" 2>/dev/null && ((waited < 50)); do
            sleep 0.1
            waited=$((waited + 1))
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
}

stop_server() {
    local pid=$1 waited=0
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < 50)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    stop_servers
    rm -rf "$WORK_DIR"
}

free_port() {
    "$SYS_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_port() {
    local port=$1 tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        tries=$((tries + 1))
        if ((tries > 100)); then
            log "nothing listens on port $port after 10 s"
            return 1
        fi
        sleep 0.1
    done
}

# start_memcached <threads> [memory MiB]: sets MC_PID and MC_PORT.
start_memcached() {
    local threads=$1 memory=${2:-1024}
    MC_PORT=$(free_port)
    memcached -p "$MC_PORT" -l 127.0.0.1 -U 0 -u root -m "$memory" -t "$threads" >"$WORK_DIR/memcached.log" 2>&1 &
    MC_PID=$!
    SERVER_PIDS+=("$MC_PID")
    wait_for_port "$MC_PORT"
}

# start_node <threads> [memory MiB] [more node flags...]: sets NODE_PID, NODE_PORT and NODE_ADMIN_PORT.
start_node() {
    local threads=$1 memory=${2:-1024} out="$WORK_DIR/node.$RANDOM.log"
    shift $(($# < 2 ? $# : 2))
    dotnet "$NODE_DLL" node -p 0 --admin-port 0 -m "$memory" -t "$threads" "$@" >"$out" 2>&1 &
    NODE_PID=$!
    SERVER_PIDS+=("$NODE_PID")
    wait_ready "$NODE_PID" "$out" cache-node || return 1
    NODE_PORT=$(sed -E 's/.*memcached=[^ ]*:([0-9]+).*/\1/' <<<"$READY_LINE")
    NODE_ADMIN_PORT=$(sed -E 's/.*admin=[^ ]*:([0-9]+).*/\1/' <<<"$READY_LINE")
}

# start_router <dll> <ring file> <threads> [more router flags...]: sets ROUTER_PID and ROUTER_PORT.
start_router() {
    local dll=$1 ring=$2 threads=$3 out="$WORK_DIR/router.$RANDOM.log"
    shift 3
    dotnet "$dll" router --ring "$ring" -p 0 --admin-port 0 -t "$threads" "$@" >"$out" 2>&1 &
    ROUTER_PID=$!
    SERVER_PIDS+=("$ROUTER_PID")
    wait_ready "$ROUTER_PID" "$out" router || return 1
    ROUTER_PORT=$(sed -E 's/.*memcached=[^ ]*:([0-9]+).*/\1/' <<<"$READY_LINE")
}

# wait_ready <pid> <log> <what>: waits (30 s at most) for the ready line of a cache-node process; sets READY_LINE.
wait_ready() {
    local pid=$1 out=$2 what=$3 tries=0
    until READY_LINE=$(grep -m1 '^cache-node ready ' "$out"); do
        tries=$((tries + 1))
        if ((tries > 300)) || ! kill -0 "$pid" 2>/dev/null; then
            cat "$out" >&2
            log "$what did not become ready"
            return 1
        fi
        sleep 0.1
    done
}

# CPU seconds (user + system) a process has used; the comm field is skipped so spaces in it cannot shift fields.
cpu_seconds() {
    local ticks
    ticks=$(sed -E 's/^.*\) //' "/proc/$1/stat" | awk '{ print $12 + $13 }')
    awk -v t="$ticks" -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t / hz }'
}

rss_kib() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# memcached's text `stats` as "name value" lines.
text_stats() {
    local port=$1
    exec 4<>"/dev/tcp/127.0.0.1/$port"
    printf 'stats\r\n' >&4
    local line
    while IFS= read -r -t 5 line <&4; do
        line=${line%$'\r'}
        [[ $line == END ]] && break
        echo "${line#STAT }"
    done
    exec 4>&-
}

machine_info() {
    echo "- nproc: $(nproc)"
    echo "- CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "- kernel: $(uname -r)"
    echo "- load average (1/5/15 min) when the report was written: $(cut -d' ' -f1-3 /proc/loadavg)${LOAD_AT_START:+ (at the start: $LOAD_AT_START)}"
    echo "- memcached: $(memcached -V)"
    echo "- dotnet --info (first lines):"
    echo
    echo '```'
    dotnet --info 2>/dev/null | head -n 8
    echo '```'
}
