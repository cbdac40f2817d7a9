#!/usr/bin/env python3
"""bench/net-report.py NET_TSV LOGDIR: the network phase's table (network.txt).

For each added delay: the proxy's measured added round-trip time (SELECT 1
through the proxy against SELECT 1 straight to the server, one connection)
and its own lateness in releasing chunks (bench/netdelay.py --stats); then,
per scenario, connections and candidate: TPS, p50 and p99 latency, and
hookreg's TPS over each baseline's."""
import csv
import os
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
logdir = sys.argv[2]
direct = next((r for r in rows if r["delay_ms"] == "direct"), None)
delays = [d for d in dict.fromkeys(r["delay_ms"] for r in rows) if d != "direct"]


def f(x, fmt="%.0f"):
    try:
        return fmt % float(x)
    except (TypeError, ValueError):
        return "-"


print("Network phase: a delaying proxy (bench/netdelay.py) on loopback adds a delay to every round trip;")
print("pgbench -M prepared over TCP through it, synchronous_commit = on; latency percentiles over every transaction.")
if direct:
    print("SELECT 1 straight to the server (TCP, 1 connection): p50 %s ms, p99 %s ms." % (direct["p50_ms"], direct["p99_ms"]))
print()
print("%-6s %-28s %s" % ("delay", "measured added RTT (p50)", "proxy's own lateness per chunk"))
for d in delays:
    p = next((r for r in rows if r["delay_ms"] == d and r["scenario"] == "select1"), None)
    added = "-"
    if p and direct and p["p50_ms"] and direct["p50_ms"]:
        added = "%.3f ms" % (float(p["p50_ms"]) - float(direct["p50_ms"]))
    stats = ""
    sf = os.path.join(logdir, "proxy-%s.txt" % d)
    if os.path.exists(sf):
        parts = open(sf).read().split()
        kv = dict(zip(parts[0::2], parts[1::2]))
        stats = "mean %s us, p99 %s us, max %s us over %s chunks" % (
            kv.get("mean_us", "-"), kv.get("p99_us", "-"), kv.get("max_us", "-"), kv.get("chunks", "-"))
    print("%-6s %-28s %s" % (d + " ms", added, stats))
print()
print("%-6s %-12s %-3s %-8s %9s %9s %9s  %s" % ("delay", "scenario", "c", "cand", "tps", "p50 ms", "p99 ms", "hookreg x / check"))
for d in delays:
    for sc in ("release_new", "start_new"):
        for c in dict.fromkeys(r["clients"] for r in rows if r["delay_ms"] == d and r["scenario"] == sc):
            grp = [r for r in rows if r["delay_ms"] == d and r["scenario"] == sc and r["clients"] == c]
            hk = next((r for r in grp if r["candidate"] == "hookreg"), None)
            for r in grp:
                x = ""
                if hk and r is not hk and r["tps"] and hk["tps"]:
                    x = "%.2fx" % (float(hk["tps"]) / float(r["tps"]))
                chk = "" if r["check"] == "ok" else "  CHECK: " + r["check"]
                print("%-6s %-12s %-3s %-8s %9s %9s %9s  %s%s" % (d, sc, c, r["candidate"], f(r["tps"]),
                      r["p50_ms"] or "-", r["p99_ms"] or "-", x, chk))
