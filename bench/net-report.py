#!/usr/bin/env python3
"""bench/net-report.py NET_TSV LOGDIR: the network phase's table (network.txt).

For each added delay and each connection count (1 and the run's clients):
the round trip the proxy (bench/netdelay.c) really added, SELECT 1 through
it against SELECT 1 straight to the server just before, with as many
connections; the proxy's own cost per round trip, that added time minus the
nominal delay
(p50: through p50 - direct p50 - delay; p99: through p99 - direct p50 -
delay); and the proxy's own lateness in releasing chunks beyond their due
time (its --stats line, over every chunk of that delay's runs). Then, per
scenario, connections and candidate: TPS, p50 and p99 latency, and hookreg's
TPS over each baseline's."""
import csv
import os
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
logdir = sys.argv[2]
delays = [d for d in dict.fromkeys(r["delay_ms"] for r in rows) if d != "direct"]


def f(x, fmt="%.0f"):
    try:
        return fmt % float(x)
    except (TypeError, ValueError):
        return "-"


def select1(delay, clients, cand):
    return next((r for r in rows if r["delay_ms"] == delay and r["scenario"] == "select1"
                 and r["clients"] == clients and r["candidate"] == cand and r["p50_ms"]), None)


print("Network phase: a delaying proxy (bench/netdelay.c, one epoll process, nice -10 when allowed) on loopback adds a delay")
print("to every round trip; pgbench -M prepared over TCP through it, one thread per connection, synchronous_commit = on;")
print("latency percentiles over every transaction (the time since the same client's previous completion).")
print("The proxy's cost: SELECT 1 straight to the server (TCP), then through the proxy, at each delay.")
conns = list(dict.fromkeys(r["clients"] for r in rows if r["scenario"] == "select1"))
print()
print("%-7s %-3s %-14s %-14s %-13s %-22s %s" % ("delay", "c", "direct p50/99", "proxy p50/99", "added RTT p50",
                                             "own cost p50 / p99", "proxy's own lateness per chunk"))
for dl in delays:
    stats = ""
    sf = os.path.join(logdir, "proxy-%s.txt" % dl)
    if os.path.exists(sf):
        parts = open(sf).read().split()
        kv = dict(zip(parts[0::2], parts[1::2]))
        stats = "p50 %s us, mean %s us, p99 %s us, max %s us over %s chunks" % (
            kv.get("p50_us", "-"), kv.get("mean_us", "-"), kv.get("p99_us", "-"), kv.get("max_us", "-"),
            kv.get("chunks", "-"))
    for i, c in enumerate(conns):
        p, d = select1(dl, c, "proxy"), select1(dl, c, "direct")
        added = own = "-"
        if p and d:
            base, nominal = float(d["p50_ms"]), float(dl)
            added = "%.3f ms" % (float(p["p50_ms"]) - base)
            own = "%+.3f / %+.3f ms" % (float(p["p50_ms"]) - base - nominal,
                                        float(p["p99_ms"]) - base - nominal)
        pair = lambda r: "%s/%s" % (r["p50_ms"], r["p99_ms"]) if r else "-"
        print("%-7s %-3s %-14s %-14s %-13s %-22s %s" % (dl + " ms", c, pair(d), pair(p), added, own,
                                                     stats if i == 0 else ""))
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
