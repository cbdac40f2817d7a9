#!/usr/bin/env bash
# doc_reference.sh: doc/reference.md has exactly one section for every
# function of the extension (in the extension's schema, and its internal
# functions in schema hookreg, named hookreg.<function>) and for every table
# and view of schema hookreg. The list comes from the catalog of the test
# database, so a new function or table fails here until it is documented.
# A section is a Markdown heading that names the object in backquotes:
# "### `hookreg_set_live`", "### `hookreg.hooks`".
#
# Prints one "ok - ..." / "not ok - ..." line per object, and one per stale
# heading (a documented function or relation that no longer exists).
set -uo pipefail
source "$HR_ROOT/scripts/lib.sh"

REF=$HR_ROOT/doc/reference.md
[ -f "$REF" ] || { hr_not_ok "doc/reference.md exists"; exit 0; }

q() { hr_timeout "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$HR_DB" "$@"; }

# Every function that belongs to the extension and lives in its schema
# (overloads count once: one section documents every signature of a name),
# and every table and view of schema hookreg.
objects=$(q <<'SQL'
SELECT DISTINCT p.proname
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_depend d ON d.refobjid = e.oid AND d.refclassid = 'pg_catalog.pg_extension'::regclass
                             AND d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e'
  JOIN pg_catalog.pg_proc p ON p.oid = d.objid AND p.pronamespace = e.extnamespace
 WHERE e.extname = 'hookreg'
UNION ALL
-- internal helpers and trigger functions live in schema hookreg
SELECT DISTINCT 'hookreg.' || p.proname
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_depend d ON d.refobjid = e.oid AND d.refclassid = 'pg_catalog.pg_extension'::regclass
                             AND d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e'
  JOIN pg_catalog.pg_proc p ON p.oid = d.objid AND p.pronamespace = 'hookreg'::regnamespace
 WHERE e.extname = 'hookreg'
UNION ALL
SELECT 'hookreg.' || c.relname
  FROM pg_catalog.pg_class c
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY 1
SQL
)
if [ "$(printf '%s\n' "$objects" | grep -c .)" -lt 20 ]; then
    hr_not_ok "the catalog lists the extension's functions and tables"; exit 0
fi

# The names in backquotes of every heading of the reference.
headings=$(grep -E '^#{2,6} ' "$REF" | grep -oE '`[^`]+`' | tr -d '`')

for o in $objects; do
    n=$(printf '%s\n' "$headings" | grep -cxF "$o")
    hr_check "doc/reference.md has one section for $o" 1 "$n"
done

# A heading naming a hookreg function or relation that the catalog does not
# have is stale (renamed or dropped). Headings of other things (feature
# tables, "What every function shares") are not names of that shape.
for h in $(printf '%s\n' "$headings" | grep -E '^(hookreg_|opsrun_|hookreg\.)[a-z0-9_]+$' | sort -u); do
    # a here-string, not printf | grep -q: under pipefail, grep -q leaving
    # at its first match makes printf's next write fail (SIGPIPE) once the
    # list is longer than one write, and the pipeline then reads as "not found"
    if ! grep -qxF "$h" <<<"$objects"; then
        hr_not_ok "doc/reference.md documents $h, which the extension does not have"
    fi
done
