#!/usr/bin/env bash
# The node's three memcached transports (--transport epoll, direct and kestrel) against memcached on the depth-1 cells,
# the cells where the node's fixed cost per read shows: bench/node-variants.sh with one variant per transport.
# Four servers run at once with the same -t and -m; every run measures them one after the other, so drift on the
# shared machine hits them all alike. Prints the median of the runs per cell; the raw runs go to bench/results/raw/.
#
#   bench/node-transports.sh                     -t 1 and -t 2, 4 and 100 connections, 100-byte values, 7 runs
#   options: --threads "1 2"  --conns "4 100"  --runs N  --duration S  --warmup S  (passed on to node-variants.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/node-variants.sh --runs 7 "$@" --variant 'epoll||--transport epoll' --variant 'direct||--transport direct' --variant 'kestrel||--transport kestrel'
