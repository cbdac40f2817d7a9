#!/usr/bin/env bash
# codebase.sh: rules of the C that no compiler checks (doc/design.md,
# "How the C is organised"). No function of src/*.c is over 80 lines without a
# reason in its header comment ("Long: ..."), as scripts/long-functions.awk
# counts; and that check itself fails on a long function without a reason.
# No page, comment or built script refers to a document that is not in the
# repository; that check too is shown to find what it looks for.
# Needs no cluster; under a second.
#
# Prints one "ok - ..." / "not ok - ..." line per check.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init codebase
W=$HR_SUITE_DIR
AWK=$HR_ROOT/scripts/long-functions.awk

long=$(cd "$HR_ROOT" && awk -f "$AWK" src/*.c)
hr_check "no function of src/*.c is over 80 lines without a Long: reason (scripts/long-functions.awk)" "" "$long"
hr_check "scripts/long-functions.awk reads every function of src/*.c (more than 200 found)" "t" \
    "$(cd "$HR_ROOT" && n=$(sed 's/limit = 80/limit = 0/' "$AWK" | awk -f /dev/stdin src/*.c | wc -l) && [ "$n" -gt 200 ] && echo t)"

# The check can fail: functions of 80 and 81 lines, with and without a reason.
fn() {  # fn NAME BODY-LINES [HEADER-COMMENT]: a C function of that many lines, braces included
    [ -n "${3:-}" ] && printf '/*\n * %s\n */\n' "$3"
    printf 'static int\n%s(int x)\n{\n' "$1"
    for _ in $(seq 1 $(($2 - 3))); do printf '\tx++;\n'; done
    printf '\treturn x;\n}\n\n'
}
{ fn eighty 80; fn eighty_one 81; fn eighty_one_said 81 "Long: one loop on purpose."
  fn after_said 81 "Not a reason."; } >"$W/sample.c"
hr_check "an 81-line function without a reason is reported, one of 80 lines or with a Long: reason is not" \
    "$W/sample.c:86: eighty_one is 81 lines, with no Long: reason above it|$W/sample.c:260: after_said is 81 lines, with no Long: reason above it" \
    "$(awk -f "$AWK" "$W/sample.c" | paste -sd '|')"
printf 'int\nsame_line(void) {\n\treturn 0;\n}\n' >"$W/layout.c"
hr_check "a body opened on its name's line is reported (it could not be counted)" \
    "$W/layout.c:2: a function body opened on the line of its name (not counted)" "$(awk -f "$AWK" "$W/layout.c")"

# The documentation stands alone: no page, comment or message points to the
# project's contract or its seeds, which live outside the repository and which
# users never see. Say the rule, or name the doc/ section that does.
# (The pattern is spelled so that it does not match this file.)
outside='\bSP[E]C( section)? ?[0-9]|\bSP[E]C\.md|\bseed[s]/|\.\./shared'
outside_refs() {  # outside_refs DIR PATH...: file:line of each such reference
    (cd "$1" && shift && grep -rnIoE "$outside" --exclude-dir=released "$@" | cut -d: -f1,2 | sort -u)
}
# Known exceptions (whole files), none now; name a file here only with the
# reason it must keep such a reference for a while.
known=""
built=$(cd "$HR_ROOT" && ls hookreg--*.sql 2>/dev/null | paste -sd ' ')
hr_check "the built install and update scripts are there to be read" "t" "$([ -n "$built" ] && echo t)"
hr_check "no reference outside the repository (to the contract's sections, its seeds) in README.md, doc/, bench/README.md, src/, test/, scripts/ or the built scripts" "" \
    "$(outside_refs "$HR_ROOT" README.md doc bench/README.md src test scripts $built | { [ -z "$known" ] && cat || grep -vE "^($(echo $known | tr ' ' '|' | sed 's/\./\\./g')):"; } | paste -sd ' ')"
mkdir -p "$W/refs/doc"
printf 'ok: the spec of a hook\n-- see SPE%s 2.6\nsee SPE%s.md\n' C C >"$W/refs/doc/a.md"
printf '(SPE%s section 4)\nbash JOBSPEC\nin ../%s/x\n' C shared >"$W/refs/b.c"
hr_check "the reference check finds each kind of reference, and only those" \
    "b.c:1 b.c:3 doc/a.md:2 doc/a.md:3" "$(outside_refs "$W/refs" doc b.c | sort | paste -sd ' ')"
