"""Turns the JSON lines of bench/node-vs-memcached.sh into a markdown table (medians per cell)."""
import json
import statistics
import sys
from collections import defaultdict


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, pattern="{:,.0f}"):
    return "n/a" if value is None else pattern.format(value)


def main(path):
    cells = defaultdict(lambda: defaultdict(list))
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        key = (row["server_threads"], row["value"], row["conns"], row["depth"])
        runs = cells[key][row["server"]]
        runs.append(row)

    def stats(rows):
        ok = [r for r in rows if r["loadgen"] and not r["loadgen"].get("failure")]
        wall = lambda r: max(r["wall_seconds"], 1e-9)
        return {
            "ops": median([r["loadgen"]["ops_per_sec"] for r in ok]),
            "p50": median([r["loadgen"]["p50_us"] for r in ok]),
            "p99": median([r["loadgen"]["p99_us"] for r in ok]),
            "cores": median([r["cpu_seconds"] / wall(r) for r in ok]),
            "us_per_op": median([r["cpu_seconds"] * 1e6 / r["loadgen"]["all_ops"] for r in ok if r["loadgen"]["all_ops"]]),
            "errors": sum(r["loadgen"]["errors"] for r in ok),
            "failed": len(rows) - len(ok),
            "runs": len(rows),
        }

    print("| -t | value | conns | depth | memcached ops/s | ours ops/s | ratio ops | memcached p50 / p99 µs | ours p50 / p99 µs "
          "| memcached CPU cores (µs/op) | ours CPU cores (µs/op) | ratio CPU/op | errors / failed runs (ours) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios = []
    for key in sorted(cells):
        mc = stats(cells[key].get("memcached", []))
        us = stats(cells[key].get("cache-node", []))
        ratio = us["ops"] / mc["ops"] if mc["ops"] and us["ops"] is not None else None
        cpu_ratio = us["us_per_op"] / mc["us_per_op"] if mc["us_per_op"] and us["us_per_op"] is not None else None
        if ratio is not None:
            ratios.append(ratio)
        t, value, conns, depth = key
        print(f"| {t} | {value} | {conns} | {depth} | {fmt(mc['ops'])} | {fmt(us['ops'])} | {fmt(ratio, '{:.2f}')} "
              f"| {fmt(mc['p50'], '{:.0f}')} / {fmt(mc['p99'], '{:.0f}')} | {fmt(us['p50'], '{:.0f}')} / {fmt(us['p99'], '{:.0f}')} "
              f"| {fmt(mc['cores'], '{:.2f}')} ({fmt(mc['us_per_op'], '{:.1f}')}) | {fmt(us['cores'], '{:.2f}')} ({fmt(us['us_per_op'], '{:.1f}')}) "
              f"| {fmt(cpu_ratio, '{:.2f}')} | {us['errors']} / {us['failed']} of {us['runs']} |")
    if ratios:
        geo = statistics.geometric_mean(ratios)
        print()
        print(f"Throughput ratio ours/memcached: geometric mean {geo:.2f} over {len(ratios)} cells, "
              f"min {min(ratios):.2f}, max {max(ratios):.2f}.")


if __name__ == "__main__":
    main(sys.argv[1])
