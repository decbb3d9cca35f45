#!/usr/bin/env bash
# Resharding under load in the sandbox, the whole product: Helm installs the operator, kubectl creates a 3-shard
# CacheCluster, KEYS keys are preloaded through a router, then a steady read/write/delete load runs while
# `kubectl scale` takes the cluster 3 -> 5 -> 3 shards (with warm-up), and, on a second cluster, 3 -> 5 with a
# warm-up that cannot finish (the plain resize other operators do). The figures come from the end-to-end tests in
# tests/CacheOperator.EndToEnd.Tests/ResizeUnderLoadTests.cs, which also assert them.
#
#   bench/resize-under-load.sh                  1,000,000 keys
#   KEYS=200000 bench/resize-under-load.sh      the test suite's size
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${KEYS:-1000000}
OUT=${OUT:-bench/results/resize-under-load.md}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

make -s tools >/dev/null
dotnet build tests/CacheOperator.EndToEnd.Tests -c Debug -nologo -v q -clp:NoSummary
status=0
E2E_RESIZE_KEYS=$KEYS timeout 1800 dotnet test tests/CacheOperator.EndToEnd.Tests --no-build \
  --filter "FullyQualifiedName~ResizeUnderLoadTests" --logger "console;verbosity=detailed" >"$LOG" 2>&1 || status=$?

{
  echo "# Resharding under load: warm-up vs plain resize"
  echo
  echo "Command: \`KEYS=$KEYS bench/resize-under-load.sh\` ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, sandbox on loopback;"
  echo "the machine also runs every pod, both routers and both operator replicas). Test outcome: $( [ $status -eq 0 ] && echo passed || echo "FAILED (exit $status)")."
  echo
  echo "Load: one client through one router, a batch every 5 ms of a 16-key multi-get of preloaded keys, a rewrite,"
  echo "a set + delete of a fresh key and a read-back of 3 deleted keys. Hit ratio per 100 ms window."
  echo
  echo '```'
  grep -E '^\s*(preloaded|baseline|plain resize|[0-9] → [0-9] shards: kubectl|load:|[0-9]+/[0-9]+ preloaded|Passed |Failed )' "$LOG" | sed 's/^ *//'
  echo '```'
  echo
  echo "Hit ratio per 100 ms window from the \`kubectl scale\` command (first 150 windows):"
  echo
  echo '```'
  grep -E '^\s*[0-9] → [0-9] shards: hit ratio per 100 ms' "$LOG" | sed 's/^ *//' | cut -c1-1000
  echo '```'
} >"$OUT"
cat "$OUT"
exit $status
