#!/usr/bin/env python3
"""bench/memory-report.py MEMORY_TSV CALLS_TSV CALLS SRF_CALLS [MIN_SAMPLES]: the memory
phase's table (memory.txt, bench/memory.sh): per hot function, one backend's
private memory (RssAnon) and memory-context total over its calls; the first
sample after the first 20% of the run against the last and the largest.
Flat: the last sample is within 1 MiB of the first (both measures).
A scenario that made fewer calls than asked or has fewer than MIN_SAMPLES
(default 3) samples after the warm-up gets no verdict: NOT MEASURED. Exits 1 when any
scenario is not flat."""
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
calls = {r["scenario"]: (int(r["calls"] or 0), r["seconds"])
         for r in csv.DictReader(open(sys.argv[2]), delimiter="\t")}
want, srf_want = int(sys.argv[3]), int(sys.argv[4])
min_samples = int(sys.argv[5]) if len(sys.argv) > 5 else 3
print("Memory phase: %d calls of each hot function in one backend (pgbench, 1 connection, one call a"
      " transaction);" % want)
print("srf_*: %d calls of a set-returning function inside ONE statement (srf_lateral: hookreg_resolve_live"
      " of 20 hooks" % srf_want)
print("in FROM, LATERAL; srf_targetlist: opsrun_start hitting an active run, in the select list).")
print("RssAnon: the backend's private memory (/proc); contexts: pg_log_backend_memory_contexts grand total;")
print("first: the first sample after 20% of the run. flat: last - first <= 1 MiB on both.")
print()
print("%-15s %8s %6s %7s %12s %12s %12s %12s %12s %12s  %s" % (
    "function", "calls", "s", "samples", "rss first kB", "rss last kB", "rss max kB",
    "ctx first B", "ctx last B", "ctx max B", "verdict"))
bad = 0
for sc, (n, secs) in calls.items():
    s = [r for r in rows if r["scenario"] == sc and r["rss_anon_kb"]]
    expect = srf_want if sc.startswith("srf_") else want
    if s:
        last_second = max(int(r["second"]) for r in s)
        warm = [r for r in s if int(r["second"]) >= last_second * 0.2] or s
    else:
        warm = []
    if n < expect or len(warm) < min_samples:
        print("%-15s %8d %6s %7d %s  NOT MEASURED (%s)" % (
            sc, n, secs, len(warm), " " * 77,
            "%d of %d calls" % (n, expect) if n < expect else "fewer than %d samples" % min_samples))
        bad += 1
        continue
    rss = [int(r["rss_anon_kb"]) for r in warm]
    ctx = [int(r["contexts_bytes"]) for r in warm if r["contexts_bytes"]]
    flat = rss[-1] - rss[0] <= 1024 and (not ctx or ctx[-1] - ctx[0] <= 1048576)
    bad += 0 if flat else 1
    print("%-15s %8d %6s %7d %12d %12d %12d %12s %12s %12s  %s" % (
        sc, n, secs, len(warm), rss[0], rss[-1], max(rss),
        ctx[0] if ctx else "-", ctx[-1] if ctx else "-", max(ctx) if ctx else "-",
        "flat" if flat else "GROWS"))
sys.exit(1 if bad else 0)
