#!/usr/bin/env bash
# Warm-up transfer between two cache nodes on loopback: a snapshot of ITEMS items (100-byte values, 32-byte
# keys) plus a concurrent 90/10 get/set load on the source, pulled by the target for every bucket.
# Measures the transfer rate (items/s, MB/s of stream frames) and the stream's cost to the source's clients
# (throughput and p99 with and without a running stream). Writes bench/results/replication-transfer.md.
#
#   bench/replication-transfer.sh                 1M items
#   ITEMS=100000 bench/replication-transfer.sh    smaller, for a smoke test
set -euo pipefail
cd "$(dirname "$0")/.."
COMMAND="bench/replication-transfer.sh"
ITEMS=${ITEMS:-1000000}
LOAD_SECONDS=${LOAD_SECONDS:-8}
OUT=${OUT:-bench/results/replication-transfer.md}

source bench/scripts/lib.sh
export CACHE_NODE_CLUSTER_TOKEN="bench-$RANDOM$RANDOM"
AUTH="Authorization: Bearer $CACHE_NODE_CLUSTER_TOKEN"

log "building Release"
build_release

start_node 2 2048
SRC_PORT=$NODE_PORT SRC_ADMIN=$NODE_ADMIN_PORT SRC_PID=$NODE_PID
start_node 2 2048
DST_ADMIN=$NODE_ADMIN_PORT DST_PID=$NODE_PID

loadgen() { timeout 300 dotnet "$LOADGEN_DLL" -p "$SRC_PORT" --keys "$ITEMS" --key-size 32 --value-size 100 "$@"; }

log "prefilling $ITEMS items"
loadgen --prefill --duration 0 -c 8 -d 32 >/dev/null
log "baseline load on the source, no stream"
BASE=$(loadgen -c 4 -d 8 --get-ratio 0.9 --duration "$LOAD_SECONDS" --warmup 1 --json | tail -n 1)

log "load on the source while the target pulls every bucket"
loadgen -c 4 -d 8 --get-ratio 0.9 --duration "$LOAD_SECONDS" --warmup 1 --json >"$WORK_DIR/during.json" &
LOAD_PID=$!
sleep 1.5
STATUS_URL="http://127.0.0.1:$DST_ADMIN/replication/streams"
T0=$(date +%s%N)
curl -sf -X POST -H "$AUTH" -H 'Content-Type: application/json' \
    -d "{\"source\":\"http://127.0.0.1:$SRC_ADMIN\",\"buckets\":\"0-16383\",\"mode\":\"warmup\"}" \
    "http://127.0.0.1:$DST_ADMIN/replication/pulls" >/dev/null
T_SNAPSHOT="" T_TAIL=""
for _ in $(seq 1 1200); do
    S=$(curl -sf -H "$AUTH" "$STATUS_URL")
    PHASE=$(/usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin)["streams"][0]; print(s["phase"])' <<<"$S")
    NOW=$(date +%s%N)
    if [[ -z $T_SNAPSHOT && ( $PHASE == CatchUp || $PHASE == Tailing ) ]]; then T_SNAPSHOT=$NOW; SNAP_STATUS=$S; fi
    if [[ $PHASE == Tailing ]]; then T_TAIL=$NOW; TAIL_STATUS=$S; break; fi
    sleep 0.05
done
[[ -n $T_TAIL ]] || { log "the stream did not reach Tailing in 60 s: $S"; exit 1; }
wait "$LOAD_PID"
DURING=$(tail -n 1 "$WORK_DIR/during.json")
SRC_RSS=$(rss_kib "$SRC_PID") DST_RSS=$(rss_kib "$DST_PID")

/usr/bin/python3 - "$OUT" "$ITEMS" "$T0" "$T_SNAPSHOT" "$T_TAIL" "$SNAP_STATUS" "$TAIL_STATUS" "$BASE" "$DURING" "$COMMAND" "$SRC_RSS" "$DST_RSS" <<'PY'
import json, sys, subprocess, platform, datetime
out, items, t0, tsnap, ttail, snap, tail, base, during, command, src_rss, dst_rss = sys.argv[1:]
t0, tsnap, ttail = int(t0), int(tsnap), int(ttail)
snap, tail = json.loads(snap)["streams"][0], json.loads(tail)["streams"][0]
base, during = json.loads(base), json.loads(during)
snap_s = (tsnap - t0) / 1e9
tail_s = (ttail - t0) / 1e9
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
rows = [
    ("items in the snapshot", f"{snap['items']:,}"),
    ("stream bytes at snapshot end", f"{snap['bytes']/1e6:.1f} MB"),
    ("time to snapshot end (POST to CatchUp, polled every 50 ms)", f"{snap_s:.2f} s"),
    ("snapshot rate", f"{snap['items']/snap_s:,.0f} items/s, {snap['bytes']/1e6/snap_s:.1f} MB/s"),
    ("time to Tailing (caught up with the concurrent load)", f"{tail_s:.2f} s"),
    ("log entries applied by then", f"{tail['logEntries']:,}"),
    ("restarts / overflows", f"{tail['restarts']} / {tail['overflows']}"),
    ("source throughput without stream", f"{base['ops_per_sec']:,.0f} ops/s, p99 {base['p99_us']} µs"),
    ("source throughput with stream running", f"{during['ops_per_sec']:,.0f} ops/s, p99 {during['p99_us']} µs"),
    ("throughput change during the run", f"{(during['ops_per_sec']/base['ops_per_sec']-1)*100:+.1f}%"),
    ("RSS after: source / target", f"{int(src_rss)//1024} MiB / {int(dst_rss)//1024} MiB"),
]
with open(out, "w") as f:
    f.write("# Warm-up transfer: snapshot plus log between two nodes\n\n")
    f.write(f"Generated {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC on {cpu}, {subprocess.run(['nproc'],capture_output=True,text=True).stdout.strip()} cores, kernel {platform.release()}.\n\n")
    f.write(f"Command: `{command}` (ITEMS={items}). Both nodes `-m 2048 -t 2` on loopback; the load generator and both nodes share the 2 cores.\n")
    f.write("The load on the source is 4 connections, pipeline 8, 90% gets / 10% sets over the same keys, during the whole transfer;\n")
    f.write("the load window also covers time before and after the stream, so the throughput change understates the cost while streaming.\n\n")
    f.write("| measure | value |\n|---|---|\n")
    for k, v in rows:
        f.write(f"| {k} | {v} |\n")
print(open(out).read())
PY
