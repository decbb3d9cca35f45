#!/usr/bin/env bash
# System calls, context switches and CPU per request: memcached and the node on each of its transports, same
# -t, same load, one after the other in every run. perf stat is attached to the server for the load run and its
# counts are divided by the requests the server answered in that window (cmd_get + cmd_set of its `stats`).
# Counts of events do not depend on how loaded the machine is, so this is the figure to trust on a shared one.
# Prints one line per server and run and a median table; raw lines go to bench/results/raw/node-syscalls-*.txt.
#
#   bench/node-syscalls.sh                     -t 1, c=4 and c=100, depth 1, 100-byte values, 3 runs
#   options: --threads T  --cells "4:1 100:1"  --runs N  --duration S  --transports "epoll direct kestrel"  --no-build
#   needs perf with permission to attach (root, or perf_event_paranoid <= 1)
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=1 CELLS="4:1 100:1" RUNS=3 DURATION=3 TRANSPORTS="epoll direct kestrel" BUILD=1
while (($#)); do
    case $1 in
        --threads) THREADS=$2; shift ;;
        --cells) CELLS=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --transports) TRANSPORTS=$2; shift ;;
        --no-build) BUILD=0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

source bench/scripts/lib.sh
command -v perf >/dev/null || { log "perf is not installed"; exit 1; }
mkdir -p bench/results/raw
RAW=bench/results/raw/node-syscalls-$(date -u +%Y%m%dT%H%M%S).txt
: >"$RAW"
((BUILD)) && build_release

declare -A PID PORT
start_memcached "$THREADS" 1024
PID[memcached]=$MC_PID PORT[memcached]=$MC_PORT
NAMES=(memcached)
for transport in $TRANSPORTS; do
    start_node "$THREADS" 1024 --transport "$transport"
    PID[$transport]=$NODE_PID PORT[$transport]=$NODE_PORT
    NAMES+=("$transport")
done

for name in "${NAMES[@]}"; do
    timeout 300 dotnet "$LOADGEN_DLL" -p "${PORT[$name]}" -c 4 -t 2 --keys 100000 --key-size 32 --value-size 100 \
        --prefill --duration 0 >/dev/null
    # Tiered compilation keeps recompiling for seconds after start: every server gets the same load first.
    timeout 60 dotnet "$LOADGEN_DLL" -p "${PORT[$name]}" -c 4 -t 2 -d 1 --keys 100000 --duration 6 --warmup 0 >/dev/null
done

# answered <port>: gets and sets the server has answered so far.
answered() {
    text_stats "$1" | awk '$1 == "cmd_get" || $1 == "cmd_set" { n += $2 } END { print n }'
}

EVENTS=task-clock,context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_recvfrom,syscalls:sys_enter_read,syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,syscalls:sys_enter_write
for cell in $CELLS; do
    conns=${cell%%:*} depth=${cell#*:}
    for run in $(seq 1 "$RUNS"); do
        for name in "${NAMES[@]}"; do
            before=$(answered "${PORT[$name]}")
            perf stat -x, -e "$EVENTS" -p "${PID[$name]}" -o "$WORK_DIR/perf.txt" -- \
                timeout 60 dotnet "$LOADGEN_DLL" -p "${PORT[$name]}" -c "$conns" -t 2 -d "$depth" --keys 100000 \
                --duration "$DURATION" --warmup 0 >/dev/null
            after=$(answered "${PORT[$name]}")
            line=$(awk -F, -v n=$((after - before)) -v name="$name" -v cell="$cell" -v run="$run" '
                $3 ~ /task-clock/ { cpu = $1 }
                $3 == "context-switches" { cs = $1 }
                $3 == "raw_syscalls:sys_enter" { sys = $1 }
                $3 ~ /epoll_wait/ { ew = $1 }
                $3 ~ /recvfrom|sys_enter_read$/ { rd += $1 }
                $3 ~ /sendto|sendmsg|sys_enter_write$/ { wr += $1 }
                END { printf "%s c:d=%s run %s: requests %d cpu_us/req %.2f syscalls/req %.2f epoll_wait/req %.2f reads/req %.2f writes/req %.2f cs/req %.2f\n",
                      name, cell, run, n, cpu * 1000 / n, sys / n, ew / n, rd / n, wr / n, cs / n }' "$WORK_DIR/perf.txt")
            echo "$line" | tee -a "$RAW" >&2
        done
    done
done

echo "| c:d | server | CPU µs/req | syscalls/req | epoll_wait/req | reads/req | writes/req | context switches/req |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
# median <server> <cell> <field>: the median over the runs of the value after "<field>" in the raw lines.
median() {
    grep "^$1 c:d=$2 run" "$RAW" | awk -v f="$3" '{ for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' | sort -g |
        awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

for cell in $CELLS; do
    for name in "${NAMES[@]}"; do
        printf '| %s | %s |' "$cell" "$name"
        for field in cpu_us/req syscalls/req epoll_wait/req reads/req writes/req cs/req; do
            printf ' %s |' "$(median "$name" "$cell" "$field")"
        done
        echo
    done
done
log "raw runs: $RAW"
