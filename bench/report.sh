#!/usr/bin/env bash
# bench/report.sh OUT CLIENTS: raw.tsv -> results.csv (every candidate),
# summary.csv and table.txt (one line per scenario and phase, hookreg against
# the floor and each baseline, with the targets of bench/README.md).
set -euo pipefail
OUT=$1 CLIENTS=$2 SCALE_SIZE=${3:-1000000}
RAW=$OUT/raw.tsv

awk -F'\t' -v out="$OUT" -v clients="$CLIENTS" -v scale_size="$SCALE_SIZE" '
# med(A, N): the median of A[1..N] (sorts A in place); "" when N is 0
function med(a, n,    i, j, t) {
    if (n == 0) return ""
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    if (n % 2) return a[(n + 1) / 2]
    return (a[n / 2] + a[n / 2 + 1]) / 2
}
function median(key,    n, i, a) {
    n = cnt[key]
    for (i = 1; i <= n; i++) a[i] = vals[key, i]
    return med(a, n)
}
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : sprintf("%.2f", a / b) }
# paired(PH, SC, CAND): the median over rounds of hookreg TPS / CAND TPS in the
# same round (the runs of a round are adjacent: bench.sh runs them ABBA), so
# a drift of the machine between rounds cancels; "" when no round has both
function paired(ph, sc, cand,    r, n, kh, kc, a) {
    n = 0
    for (r = 1; r <= maxround; r++) {
        kh = ph SUBSEP sc SUBSEP "hookreg" SUBSEP r; kc = ph SUBSEP sc SUBSEP cand SUBSEP r
        if ((kh in rv) && (kc in rv) && rv[kc] > 0) a[++n] = rv[kh] / rv[kc]
    }
    return n == 0 ? "" : sprintf("%.2f", med(a, n))
}
function fmt(x) { return x == "" ? "-" : x }
function fmtx(x) { return x == "" ? "-" : x "x" }
function target_of(sc) {
    if (sc == "release_new") return "floor>=0.8 naive>=1.0 plpgsql>=1.3 client>=3"
    if (sc == "start_new") return "floor>=0.8 naive>=1.0"
    if (sc == "release_repeat" || sc == "start_dedupe" || sc == "resolve_live") return "floor>=1.0"
    return ""
}
function verdict(sc, xf, xp, xc, xn,    miss) {
    miss = ""
    if (target_of(sc) == "") return "(no target)"
    if (xf == "") return "n/a"
    if (sc == "release_new") {
        if (xf < 0.8) miss = miss " floor"
        if (xn != "" && xn < 1.0) miss = miss " naive"
        if (xp != "" && xp < 1.3) miss = miss " plpgsql"
        if (xc != "" && xc < 3) miss = miss " client"
    } else if (sc == "start_new") {
        if (xf < 0.8) miss = miss " floor"
        if (xn != "" && xn < 1.0) miss = miss " naive"
    } else if (xf < 1.0) miss = miss " floor"
    return miss == "" ? "meets" : "misses:" miss
}
NR == 1 { next }
{
    ph = $1 "|" $2; sc = $3; cand = $4; key = ph SUBSEP sc SUBSEP cand
    if (!(ph in seenph)) { seenph[ph] = 1; phases[++nph] = ph }
    if (!((ph, sc) in seensc)) { seensc[ph, sc] = 1; scs[ph, ++nsc[ph]] = sc }
    if (!(key in seenc)) { seenc[key] = 1; cands[ph, sc, ++ncand[ph, sc]] = cand }
    if ($6 != "") { rv[key, $5 + 0] = $6 + 0; if ($5 + 0 > maxround) maxround = $5 + 0 }
    if ($6 != "") { cnt[key]++; vals[key, cnt[key]] = $6 + 0; lat[key] += $7; if (min[key] == "" || $6 + 0 < min[key]) min[key] = $6 + 0; if ($6 + 0 > max[key]) max[key] = $6 + 0 }
    if (!(key in chk) || $9 != "ok") chk[key] = $9
}
END {
    res = out "/results.csv"; sum = out "/summary.csv"; tab = out "/table.txt"
    print "phase,synchronous_commit,scenario,candidate,runs,tps_median,tps_min,tps_max,latency_ms,ratio_to_floor,hookreg_over_candidate,check" > res
    print "phase,synchronous_commit,scenario,hookreg_tps,hookreg_latency_ms,floor_tps,x_floor,plpgsql_tps,x_plpgsql,client_tps,x_client,reference,reference_tps,x_reference,scale_over_base,floor_scale_over_base,target,verdict,checks,naive_tps,x_naive" > sum
    printf "%-6s %-4s %-15s %9s %7s %9s %6s %9s %6s %9s %6s %9s %6s  %-20s %s\n", "phase", "sync", "scenario", "hookreg", "ms", "floor", "x", "naive", "x", "plpgsql", "x", "client", "x", "reference (x)", "target: verdict" > tab
    for (p = 1; p <= nph; p++) {
        ph = phases[p]; split(ph, pp, "|")
        for (s = 1; s <= nsc[ph]; s++) {
            sc = scs[ph, s]
            hk = median(ph SUBSEP sc SUBSEP "hookreg"); fl = median(ph SUBSEP sc SUBSEP "floor")
            for (c = 1; c <= ncand[ph, sc]; c++) {
                cand = cands[ph, sc, c]; key = ph SUBSEP sc SUBSEP cand; m = median(key)
                l = cnt[key] ? sprintf("%.3f", lat[key] / cnt[key]) : ""
                printf "%s,%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,\"%s\"\n", pp[1], pp[2], sc, cand, cnt[key], m, min[key], max[key], l, ratio(m, fl), paired(ph, sc, cand), chk[key] > res
            }
            pl = median(ph SUBSEP sc SUBSEP "plpgsql"); cl = median(ph SUBSEP sc SUBSEP "client"); nv = median(ph SUBSEP sc SUBSEP "naive")
            refn = ""; rf = ""
            if (sc == "release_new") refn = "insert"; if (sc == "resolve_live") refn = "readfloor"; if (sc == "start_dedupe") refn = "floorhit"
            if (refn != "") rf = median(ph SUBSEP sc SUBSEP refn)
            hkey = ph SUBSEP sc SUBSEP "hookreg"
            hl = cnt[hkey] ? sprintf("%.3f", lat[hkey] / cnt[hkey]) : ""
            xf = paired(ph, sc, "floor"); xp = paired(ph, sc, "plpgsql"); xc = paired(ph, sc, "client"); xr = paired(ph, sc, refn); xn = paired(ph, sc, "naive")
            checks = ""
            for (c = 1; c <= ncand[ph, sc]; c++) { cand = cands[ph, sc, c]; k2 = ph SUBSEP sc SUBSEP cand
                if (chk[k2] != "ok" && chk[k2] != "not available yet") checks = checks (checks == "" ? "" : "; ") cand ": " chk[k2] }
            if (checks == "") checks = "all ok"
            scale = ""; fscale = ""
            if (pp[1] == "scale") { scale = ratio(hk, median("base|" pp[2] SUBSEP sc SUBSEP "hookreg")); fscale = ratio(fl, median("base|" pp[2] SUBSEP sc SUBSEP "floor")) }
            v = (pp[1] == "scale") ? (scale == "" ? "n/a" : (scale >= 0.9 ? "within 10% of base" : "grows: " scale "x of base")) : verdict(sc, xf, xp, xc, xn)
            if (hk == "") v = "hookreg not measured"
            printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,\"%s\",\"%s\",\"%s\",%s,%s\n", pp[1], pp[2], sc, hk, hl, fl, xf, pl, xp, cl, xc, refn, rf, xr, scale, fscale, target_of(sc), v, checks, nv, xn > sum
            refs = (refn == "" ? "" : refn " " fmt(rf) " (" fmtx(xr) ")")
            if (pp[1] == "scale") refs = "x base: " fmtx(scale) " (floor " fmtx(fscale) ")"
            printf "%-6s %-4s %-15s %9s %7s %9s %6s %9s %6s %9s %6s %9s %6s  %-20s %s\n", pp[1], pp[2], sc, fmt(hk == "" ? "" : sprintf("%.0f", hk)), fmt(hl), fmt(fl == "" ? "" : sprintf("%.0f", fl)), fmtx(xf), fmt(nv == "" ? "" : sprintf("%.0f", nv)), fmtx(xn), fmt(pl == "" ? "" : sprintf("%.0f", pl)), fmtx(xp), fmt(cl == "" ? "" : sprintf("%.0f", cl)), fmtx(xc), refs, (target_of(sc) == "" || pp[1] == "scale" ? "" : target_of(sc) ": ") v > tab
            if (checks != "all ok") printf "       ^ correctness: %s\n", checks > tab
            ev = median(ph SUBSEP sc SUBSEP "events")
            if (ev != "") printf "       ^ with events on (a NOTIFY per call, sent at commit): %.0f tps, %sx of hookreg with events off\n", ev, (paired(ph, sc, "events") == "" ? "" : sprintf("%.2f", 1 / paired(ph, sc, "events"))) > tab
        }
    }
    printf "\nTPS: median over rounds (pgbench -M prepared, %d clients); ms: mean latency of hookreg; x: hookreg TPS / that candidate TPS,\n", clients > tab
    print "the median over rounds of the ratio within one round (the candidates of a round run next to each other, ABBA)." > tab
    print "floor: one prepared statement writing the same rows into same-shaped tables, no lock, lookup or check (for the" > tab
    printf "write-nothing calls, the floor of the corresponding write). scale: %d more releases, %d hook runs and %d completed\n", scale_size, scale_size, scale_size > tab
    print "operation runs preloaded; x base = TPS at scale / TPS on the small tables (hookreg, and the floor in brackets)." > tab
}' "$RAW"
