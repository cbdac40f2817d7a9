#!/usr/bin/env bash
# test-timeout: 2400
# test/suites/asan.sh: the whole regression suite (pg_regress, isolation and
# pgTAP) against hookreg built with AddressSanitizer and UndefinedBehavior-
# Sanitizer (gcc, -fsanitize=address,undefined); any sanitizer report fails.
#
# How: a copy of the source tree under $HR_TMP (the checkout's own .o files
# are never touched) gets the sanitizer flags appended to its Makefile, and
# its scripts/lib.sh gets hr_cluster_start wrapped so that the postmaster
# (and so every backend it forks) runs with libasan preloaded: PostgreSQL
# itself is not instrumented, an instrumented shared library needs the ASan
# runtime loaded first. The copy's scripts/test.sh then runs every
# sql/*.sql, test/specs/*.spec and test/tap/*.sql exactly as the normal run
# does (suites excluded: this file is one of them).
#
# Limits (see doc/testing.md "Guarantees"): ASan sees hookreg's malloc'd memory
# (none in practice), its stack and globals, and every access the
# instrumented code makes through libc interceptors (memcpy, strlen, ...).
# Memory from palloc is carved out of large blocks by an uninstrumented
# PostgreSQL, so an overrun inside a palloc block is invisible to it; UBSan
# (signed overflow, shifts, misaligned or null pointer use, out-of-bounds
# array index, bad enum/bool loads) has no such limit. Leak checking is off:
# memory contexts free in bulk, which LeakSanitizer reports as leaks.
#
# Environment: the suite's usual HR_ROOT, HR_TMP, PG_CONFIG.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init asan

work=$HR_SUITE_DIR
src=$work/src
reports=$work/reports
mkdir -p "$src" "$reports"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$reports"; fi
chmod 777 "$reports"

runtime=$(gcc -print-file-name=libasan.so)
runtime=$(readlink -f "$runtime")
if [ ! -e "$runtime" ]; then
    echo "not ok - libasan found (gcc -print-file-name=libasan.so gave '$runtime')"
    exit 1
fi
echo "ok - ASan runtime: $runtime"

# Initializes ASan before a library initializer holds a glibc lock (see the file).
shim=$work/asan_init_first.so
if gcc -shared -fPIC -O1 -o "$shim" "$HR_ROOT/test/asan/asan_init_first.c" -ldl; then
    echo "ok - built the ASan start-up helper"
else
    echo "not ok - built the ASan start-up helper"; exit 1
fi
chmod 755 "$work" "$shim"

# The copy: every file of the checkout but git data and build products.
tar -C "$HR_ROOT" -cf - --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
    --exclude=./results --exclude=./output_iso --exclude=./.demo --exclude=./.test \
    --exclude='./hookreg--*.sql' --exclude=./regression.diffs --exclude=./regression.out \
    . | tar -C "$src" -xf -

# Sanitizer flags, appended (override: PGXS has already folded PG_CFLAGS
# into CFLAGS at this point). -Wno-error: the normal build is the one that
# enforces -Werror; -O1 and the sanitizers change which warnings gcc can
# see, and this copy is here to find memory errors, not to fail on those.
cat >>"$src/Makefile" <<'MAKE'

# --- appended by test/suites/asan.sh (this is a throwaway copy)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-common -g -O1 -Wno-error
override LDFLAGS_SL += -fsanitize=address,undefined
MAKE

# The postmaster starts with the ASan runtime preloaded and reports going to
# files; all other commands run as usual.
cat >>"$src/scripts/lib.sh" <<LIB

# --- appended by test/suites/asan.sh (this is a throwaway copy)
eval "\$(declare -f hr_cluster_start | sed '1s/^hr_cluster_start/hr_cluster_start_plain/')"
hr_cluster_start() {
    ( export LD_PRELOAD='$runtime $shim' \\
        ASAN_OPTIONS='detect_leaks=0:log_path=$reports/asan:abort_on_error=0:detect_odr_violation=0' \\
        UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=0:log_path=$reports/ubsan'
      hr_cluster_start_plain "\$@" ) || exit 1
}
LIB

files=()
for f in "$src"/sql/*.sql "$src"/test/specs/*.spec "$src"/test/tap/*.sql; do
    [ -e "$f" ] && files+=("${f#"$src"/}")
done

out=$work/test.out
# HR_KEEP=1: the nested run keeps its directory, whose server log is read
# below (a backend's sanitizer report goes to its stderr, the server log,
# when the report file cannot be used).
(cd "$src" && HR_KEEP=1 bash scripts/test.sh "${files[@]}") >"$out" 2>&1
rc=$?
kept=$(sed -n 's/^== kept \(.*\)$/\1/p' "$out" | tail -n 1)

# The build really was instrumented (nm's output captured first: grep -q on
# a pipe would kill nm and, under pipefail, fail the check).
syms=$(nm -D "$src/hookreg.so" 2>/dev/null)
if grep -q '__asan_report' <<<"$syms" && grep -q '__ubsan_handle' <<<"$syms"; then
    echo "ok - hookreg.so is built with ASan and UBSan"
else
    echo "not ok - hookreg.so is built with ASan and UBSan"
fi

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
if [ "$rc" -eq 0 ] && [ -n "$summary" ]; then
    echo "ok - regression suite under ASan+UBSan: $summary"
else
    echo "not ok - regression suite under ASan+UBSan: ${summary:-no summary} (exit $rc)"
    sed -n '/^== summary/,$p' "$out" | sed 's/^/# /'
    grep -E ' \.\.\. FAILED|^ *not ok' "$out" | head -n 40 | sed 's/^/# /'
    grep -A 60 -E '^---- .*diffs' "$out" | head -n 120 | sed 's/^/# /'
fi

# Per runner, so a runner that did not run shows.
for runner in pg_regress isolation pgTAP; do
    line=$(grep -E "^$runner +[0-9]+ passed" "$out")
    if [ -z "$line" ]; then
        echo "not ok - $runner ran under ASan+UBSan"
    elif grep -qE ' 0 failed$' <<<"$line"; then
        echo "ok - $runner ran under ASan+UBSan: $(sed -E 's/^[a-zA-Z_]+ +//' <<<"$line")"
    else
        echo "not ok - $runner ran under ASan+UBSan: $(sed -E 's/^[a-zA-Z_]+ +//' <<<"$line")"
    fi
done

# Sanitizer lines in the server log. (That the server ran with the runtime
# preloaded needs no check of its own: an ASan-built hookreg.so refuses to
# load otherwise, and every test would fail.)
san_lines=""
if [ -n "$kept" ] && [ -f "$kept/server.log" ]; then
    san_lines=$(grep -c 'AddressSanitizer\|runtime error:' "$kept/server.log")
fi

# Any report is a failure, printed (the first lines of each).
found=0
for f in "$reports"/*; do
    [ -e "$f" ] || continue
    found=1
    echo "# ---- $(basename "$f")"
    sed 's/^/# /' "$f" | head -n 80
done
if [ -n "$kept" ] && [ -f "$kept/server.log" ] && [ "${san_lines:-0}" -gt 0 ]; then
    found=1
    echo "# ---- sanitizer lines in the server log"
    grep -E -A 12 'ERROR: AddressSanitizer|runtime error:' "$kept/server.log" | head -n 120 | sed 's/^/# /'
fi
if [ -z "$kept" ] || [ ! -f "$kept/server.log" ]; then
    echo "not ok - the server log of the ASan run was kept for inspection"
elif [ "$found" -eq 0 ]; then
    echo "ok - no AddressSanitizer or UBSan report"
else
    echo "not ok - no AddressSanitizer or UBSan report (see above)"
fi
[ -n "$kept" ] && case "$kept" in */hookreg-test.*) rm -rf "$kept" ;; esac
exit 0
