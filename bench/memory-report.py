#!/usr/bin/env python3
"""bench/memory-report.py MEMORY_TSV CALLS: the memory phase's table
(memory.txt): per hot function, one backend's private memory (RssAnon) and
memory-context total over CALLS calls; the first sample after the first 5%
of the run against the last and the largest. Flat: the last sample is
within 1 MiB of the first (both measures)."""
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
calls = sys.argv[2]
print("Memory phase: %s calls of each hot function in one backend (pgbench, 1 connection)." % calls)
print("RssAnon: the backend's private memory (/proc); contexts: pg_log_backend_memory_contexts grand total.")
print()
print("%-15s %8s %12s %12s %12s %12s %12s %12s  %s" % ("function", "samples", "rss first kB", "rss last kB",
      "rss max kB", "ctx first B", "ctx last B", "ctx max B", "verdict"))
for sc in dict.fromkeys(r["scenario"] for r in rows):
    s = [r for r in rows if r["scenario"] == sc and r["rss_anon_kb"]]
    if not s:
        continue
    last_second = max(int(r["second"]) for r in s)
    warm = [r for r in s if int(r["second"]) >= last_second * 0.05] or s
    rss = [int(r["rss_anon_kb"]) for r in warm]
    ctx = [int(r["contexts_bytes"]) for r in warm if r["contexts_bytes"]]
    flat = rss[-1] - rss[0] <= 1024 and (not ctx or ctx[-1] - ctx[0] <= 1048576)
    print("%-15s %8d %12d %12d %12d %12s %12s %12s  %s" % (sc, len(warm), rss[0], rss[-1], max(rss),
          ctx[0] if ctx else "-", ctx[-1] if ctx else "-", max(ctx) if ctx else "-",
          "flat" if flat else "GROWS"))
