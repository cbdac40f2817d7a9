#!/usr/bin/env bash
# resolve_collation.sh: hookreg_resolve_live orders its rows, and the hooks its
# error names, by the collation of hookreg.live_pointers.hook_name (the
# database's default), as ORDER BY hook_name does, not by bytes. The suites'
# clusters use C.UTF-8, whose order is the bytes'; so this suite makes a
# database whose default collation is ICU's en-US, where '_' sorts before
# the digits (bytes: after), and compares. Costs a few seconds.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init resolve_collation

db=hr_icu_order
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
check() {  # check DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
    fi
}
q() { hr_q "$db" "$@"; }

hr_scratch_dbs+=("$db")
hr_q postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
if ! hr_q postgres -c "CREATE DATABASE $db TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'" 2>"$HR_SUITE_DIR/createdb.err"; then
    not_ok "a database with ICU's en-US as its default collation"; sed 's/^/#   /' "$HR_SUITE_DIR/createdb.err"; exit 1
fi
q -c "CREATE EXTENSION hookreg" || { not_ok "CREATE EXTENSION hookreg"; exit 1; }

names="'ord_a0', 'ord_a_', 'ord_ab', 'ord_a9'"
q >/dev/null <<SQL
SELECT count(*) FROM unnest(ARRAY[$names]) n,
       hookreg_register_hook(n, '{"kind": "table", "cardinality": "many", "columns": []}');
SELECT count(*) FROM unnest(ARRAY[$names]) WITH ORDINALITY AS x(n, i),
       hookreg_create_release(n, 'reg.example/ord', 'sha256:' || repeat(i::text, 64), source_ref => 'git:ord');
SELECT count(*) FROM hookreg_register_hook('ord_a', '{"kind": "table", "cardinality": "many", "columns": []}');
SQL

collated=$(q -c "SELECT string_agg(n, ' ' ORDER BY n) FROM unnest(ARRAY[$names]) n")
bytes=$(q -c "SELECT string_agg(n, ' ' ORDER BY n COLLATE \"C\") FROM unnest(ARRAY[$names]) n")
if [ "$collated" != "$bytes" ]; then
    ok "en-US orders these names otherwise than their bytes ($collated / $bytes)"
else
    not_ok "en-US orders these names otherwise than their bytes: both $collated"
fi
check "resolve_live returns its rows in the column's collation order" "$collated" \
    "$(q -c "SELECT string_agg(hook_name, ' ') FROM hookreg_resolve_live(ARRAY['ord_ab', 'ord_a9', 'ord_a_', 'ord_a0', 'ord_ab'])")"
check "... the same rows as ORDER BY hook_name" \
    "$(q -c "SELECT string_agg(p.hook_name || ':' || r.version, ' ' ORDER BY p.hook_name)
               FROM hookreg.live_pointers p JOIN hookreg.hook_releases r ON r.id = p.live_release_id
              WHERE p.hook_name LIKE 'ord%'")" \
    "$(q -c "SELECT string_agg(hook_name || ':' || version, ' ') FROM hookreg_resolve_live(ARRAY[$names])")"
check "the hooks without a live release are named in that order too" \
    "Unknown or without a live release: $(q -c "SELECT string_agg(n, ', ' ORDER BY n) FROM unnest(ARRAY['ord_zz_', 'ord_zz0', 'ord_a']) n")." \
    "$(q -c "SELECT * FROM hookreg_resolve_live(ARRAY['ord_zz0', 'ord_a0', 'ord_zz_', 'ord_a'])" 2>&1 | sed -n 's/^DETAIL: *//p')"
