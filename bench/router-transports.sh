#!/usr/bin/env bash
# The router's client transports (--transport epoll, its default, direct and kestrel) side by side, same build: one node, one
# router of each kind in front of it (a one-shard ring), alternating load runs, so drift on the shared machine hits
# both alike. Per run: throughput, p50/p99, and per request the router's system calls (perf stat; all, sendto,
# recvfrom, epoll_wait), context switches and CPU (perf task-clock; user and system from /proc), over the whole load
# run divided by the requests the router served in it. Prints one line per run and the medians per target; the raw
# lines go to bench/results/raw/router-transports-*.txt. The measuring is bench/router-cpu.sh's, on shared cores.
#
#   bench/router-transports.sh                       c=4 and 50, depth 1 and 8, 5 runs (~5 minutes)
#   options: --conns "4 50"  --depths "1 8"  --runs N  --duration S
#   needs perf (linux-perf) with permission to attach to the router (root, or perf_event_paranoid <= 1)
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS="4 50" DEPTHS="1 8" RUNS=5 DURATION=3
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
log "building Release"
build_release
cleanup
CELLS=
for conns in $CONNS; do
    for depth in $DEPTHS; do
        CELLS+="$conns:$depth "
    done
done
exec bench/router-cpu.sh --shared-cores --raw-name router-transports --cells "$CELLS" --runs "$RUNS" --duration "$DURATION" \
    "epoll=$NODE_DLL||--transport epoll" "direct=$NODE_DLL||--transport direct" "kestrel=$NODE_DLL||--transport kestrel"
