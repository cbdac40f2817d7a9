#!/usr/bin/env bash
# test/suites/fuzz.sh: libFuzzer targets for the C code that parses and
# transforms text and JSON, built outside the server with AddressSanitizer,
# UndefinedBehaviorSanitizer and LeakSanitizer, each run for a bounded time
# from the committed seed corpus in test/fuzz/corpus/<target>/.
#
#   HR_FUZZ_SECONDS=45 (default)   seconds per target
#   bash test/suites/fuzz.sh       also runs alone (outside scripts/test.sh)
#
# Any crash, leak, sanitizer report or failed property (sanitizing is
# idempotent, canonical JSON does not depend on key order, RFC 8785 text is a
# fixed point, ...) fails the target; the input that did it is kept under
# $HR_TMP/fuzz and printed.
set -uo pipefail
HR_ROOT=${HR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$HR_ROOT/scripts/lib.sh"
cd "$HR_ROOT"
HR_TMP=${HR_TMP:-$(mktemp -d /tmp/hookreg-fuzz.XXXXXX)}
seconds=${HR_FUZZ_SECONDS:-45}

hr_ensure_packages clang libclang-rt-14-dev libssl-dev
out=$HR_TMP/fuzz
mkdir -p "$out"

CC=$(command -v clang || command -v clang-14)
INC=$("$PG_CONFIG" --includedir-server)
LIBDIR=$("$PG_CONFIG" --pkglibdir)
# The code under test, plus palloc/ereport stand-ins (test/fuzz/fuzz_pg.c);
# StringInfo, psprintf and the encoding tables come from libpgcommon.
SOURCES="src/sanitize.c src/sanitize_tokens.c src/sanitize_syntax.c src/sanitize_personal.c src/sanitize_json.c src/json.c src/errvalue.c src/jcs.c src/jcs_json.c test/fuzz/fuzz_pg.c test/fuzz/fuzz_json.c"
FLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -Wall -Wno-unused-parameter -Wno-ignored-attributes -Werror
       -DHOOKREG_VERSION=\"fuzz\" -Isrc -Itest/fuzz -I$INC"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The other engineers' validators (and what they call) for fuzz_validators.
VALIDATORS="src/feature_spec.c src/deploy_spec.c src/ledger_json.c src/release_json.c src/digest.c src/names.c"

# target max_len extra-options
targets=(
    "message 8192 -dict=test/fuzz/message.dict"
    "failures 16384"
    "canonical 16384"
    "jcs 16384"
    "validators 16384"
)

for spec in "${targets[@]}"; do
    set -- $spec
    t=$1 maxlen=$2; shift 2
    bin=$out/fuzz_$t
    # shellcheck disable=SC2086
    extra=; [ "$t" = validators ] && extra=$VALIDATORS
    if ! "$CC" $FLAGS $SOURCES $extra "test/fuzz/fuzz_$t.c" -L"$LIBDIR" -lpgcommon -lpgport -ljansson -lcrypto \
            -o "$bin" >"$out/build_$t.log" 2>&1; then
        cat "$out/build_$t.log"
        echo "not ok - fuzz target $t builds"
        continue
    fi
    echo "ok - fuzz target $t builds with ASan+UBSan"

    # Work on a copy: new inputs libFuzzer finds never touch the committed seeds.
    work=$out/corpus_$t
    rm -rf "$work"; cp -r "test/fuzz/corpus/$t" "$work"
    log=$out/run_$t.log
    "$bin" -max_total_time="$seconds" -max_len="$maxlen" -timeout=20 -rss_limit_mb=2048 \
        -artifact_prefix="$out/${t}_" -print_final_stats=1 "$@" "$work" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [ "$rc" -eq 0 ] && ! grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|property failed' "$log"; then
        echo "ok - fuzz $t: ${runs:-?} inputs in ${seconds}s, no crash, leak, sanitizer report or failed property"
    else
        grep -nE 'ERROR|runtime error|property failed|SUMMARY|Test unit written' -A3 "$log" | head -60
        for a in "$out/${t}_"*; do
            [ -f "$a" ] && { echo "# input $a:"; od -c "$a" | head -20; }
        done
        echo "not ok - fuzz $t (exit $rc, log $log)"
    fi
done
