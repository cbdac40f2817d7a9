#!/usr/bin/env bash
# bench/explain-report.sh EXPLAIN_OUTPUT: the plans auto_explain printed
# (as NOTICEs) for bench/sql/60_explain.sql, one block per statement the hot
# paths run (the last plan of each, i.e. the one the plan cache settled on),
# with its scans. A sequential scan of a table that grows with history
# (releases, runs, moves, operation runs, pointers, hooks, tenants) is a FAIL.
set -euo pipefail
awk '
function flush() {
    if (q == "") return
    k = section SUBSEP q
    if (!(k in seen)) { seen[k] = 1; order[++n] = k }
    plan[k] = scans; dur[k] = cur_dur
    q = ""; scans = ""
}
/NOTICE:  #### / { flush(); sub(/.*#### /, ""); section = $0; if (section != "end") sections[++ns] = section; next }
/ERROR:/ { flush(); err[section] = err[section] $0 "\n"; next }
/NOTICE:  duration: .* plan:/ { flush(); inq = 0; inplan = 0; cur_dur = $0; sub(/.*duration: /, "", cur_dur); sub(/ ms.*/, "", cur_dur); next }
/^Query Text: / { sub(/^Query Text: /, ""); q = $0; inq = 1; next }
/\(cost=/ { inq = 0; inplan = 1 }
inq { q = q " " $0; next }
inplan && /(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan)/ {
    s = $0; sub(/^[ \t>-]*/, "", s); sub(/  \(cost=.*/, "", s); scans = scans "\n      " s; next }
END {
    flush(); fails = 0
    for (i = 1; i <= n; i++) {
        split(order[i], kk, SUBSEP); sec = kk[1]; qq = kk[2]
        gsub(/[ \t]+/, " ", qq)
        if (qq !~ /hookreg/ || qq ~ /^SELECT (bench\.mark|count\(\*\) FROM generate_series)/) continue
        bad = (plan[order[i]] ~ /Seq Scan on (hook_releases|hook_runs|live_moves|operation_runs|live_pointers|hooks|tenants)( |$)/)
        # a view of one row per hook reads every hook: that is what it lists
        if (sec ~ /^view / && plan[order[i]] !~ /Seq Scan on (hook_releases|hook_runs|live_moves|operation_runs|live_pointers|tenants)( |$)/) bad = 0
        if (bad) fails++
        out[sec] = out[sec] sprintf("  %s %s%s%s\n", bad ? "FAIL" : (plan[order[i]] == "" ? "  - " : "  ok"), substr(qq, 1, 220), (sec ~ /^view / && dur[order[i]] != "") ? "\n      (" dur[order[i]] " ms)" : "", plan[order[i]] == "" ? "\n      (no scan: values, function or result only)" : plan[order[i]])
    }
    for (i = 1; i <= ns; i++) {
        print "== " sections[i]
        if (sections[i] in err) printf "  ERROR (function not available?):\n%s", err[sections[i]]
        printf "%s", out[sections[i]]
        print ""
    }
    for (sec in err) nerr++
    if (nerr) print "incomplete: " nerr " section(s) could not run (see the errors above)"
    if (fails) print "FAIL: " fails " hot-path statement(s) scan a growing table sequentially"
    else print "ok: every hot-path statement reads growing tables through an index"
}' "$1"
