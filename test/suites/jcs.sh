#!/usr/bin/env bash
# test/suites/jcs.sh: hookreg's RFC 8785 (JCS) canonical JSON against an
# independent implementation, npm "canonicalize" (by one of the RFC's
# authors), run by node:
#   - HR_JCS_DOCS (10000) generated documents (test/jcs/property.js, seed
#     HR_JCS_SEED, 8785 by default): deep nesting, keys in every Unicode plane
#     and around the surrogates, control characters, reals of every magnitude,
#     negative zero, integers near 2^53, each spelled with random key order,
#     white space and exact number spellings. opsrun_identity_hash and the
#     release_digest of hookreg_create_release must equal canonicalize's
#     digests for every one; respellings give the same digests, a swap of two
#     array elements other ones; numbers no double carries exactly are
#     refused with 22023 at their JSON path.
#   - the Python and JavaScript snippets of doc/digests.md recompute the
#     digests the database returned, for every document.
# The fixed vectors of RFC 8785 are in test/tap/15_jcs.sql, the numeric
# identity attack ({"n": 1} and {"n": 1.0} as an ops writer's login sessions)
# in test/suites/attacks.sh 12. node and npm come
# from Debian when missing; canonicalize is installed into test/jcs/node_modules
# (ignored by git) from the npm registry when missing. The releases are made
# in one transaction that is rolled back. About 30 s (three minutes on a
# loaded machine).
set -uo pipefail
source "$HR_ROOT/scripts/lib.sh"

n=${HR_JCS_DOCS:-10000}
seed=${HR_JCS_SEED:-8785}
dir=$HR_ROOT/test/jcs
work=$HR_TMP/jcs
mkdir -p "$work"
chmod 755 "$work"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    hr_ensure_packages nodejs npm
fi
if [ ! -f "$dir/node_modules/canonicalize/package.json" ]; then
    (cd "$dir" && timeout 300 npm install --no-audit --no-fund --no-package-lock --loglevel=error) >"$work/npm.log" 2>&1 \
        || { sed 's/^/#   /' "$work/npm.log"; hr_not_ok "npm canonicalize installs into test/jcs/node_modules"; exit 0; }
fi
hr_ok "node $(node --version) with npm canonicalize $(node -p "require('$dir/node_modules/canonicalize/package.json').version")"

if ! kinds=$(cd "$dir" && timeout 120 node property.js "$n" "$seed" "$work/docs.csv" 2>"$work/gen.err"); then
    sed 's/^/#   /' "$work/gen.err"; hr_not_ok "test/jcs/property.js generates $n documents"; exit 0
fi
hr_ok "$n documents generated with seed $seed (rows by kind: $kinds)"

q() { timeout 600 "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$HR_DB" "$@"; }
chmod 644 "$work/docs.csv"
q >"$work/results.txt" 2>"$work/psql.err" <<SQL
BEGIN;
SET client_min_messages = warning;
CREATE TEMP TABLE doc (id int PRIMARY KEY, kind text, text text, ih text, rd text, limits text, image text);
\copy doc FROM '$work/docs.csv' WITH (FORMAT csv)
SELECT hookreg_register_hook('jcs_property', '{"kind": "table", "cardinality": "many", "columns": []}');
CREATE TEMP TABLE got AS
SELECT d.id, d.kind, d.text, d.limits, d.image, d.ih AS want_ih, d.rd AS want_rd,
       opsrun_identity_hash(1, NULL, 'jcs.property', d.text::jsonb) AS ih,
       (SELECT r.release_digest
          FROM hookreg_create_release('jcs_property', d.image, 'sha256:' || repeat('c', 64),
                                      CASE WHEN jsonb_typeof(d.text::jsonb) = 'object' THEN d.text::jsonb
                                           ELSE jsonb_build_object('v', d.text::jsonb) END,
                                      d.limits::jsonb, 'git:jcs-property') r) AS rd
  FROM doc d WHERE d.kind <> 'refuse' ORDER BY d.id;
-- the document each alt / perm row respells or permutes
CREATE TEMP TABLE base AS
SELECT g.id, g.kind, g.ih, g.rd,
       (SELECT b.ih FROM got b WHERE b.kind = 'doc' AND b.id < g.id ORDER BY b.id DESC LIMIT 1) AS base_ih,
       (SELECT b.rd FROM got b WHERE b.kind = 'doc' AND b.id < g.id ORDER BY b.id DESC LIMIT 1) AS base_rd
  FROM got g WHERE g.kind IN ('alt', 'perm');
CREATE FUNCTION pg_temp.refusal(sql text) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN
    EXECUTE sql;
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END \$\$;
CREATE TEMP TABLE refused AS
SELECT d.id, d.text,
       pg_temp.refusal(format('SELECT opsrun_identity_hash(1, NULL, %L, %L::jsonb)', 'jcs.property', d.text)) AS identity,
       pg_temp.refusal(format('SELECT hookreg_create_release(%L, %L, %L, %L::jsonb, %L::jsonb, %L)', 'jcs_property',
                              d.image, 'sha256:' || repeat('c', 64), d.text, d.limits, 'git:jcs-property')) AS release
  FROM doc d WHERE d.kind = 'refuse';
SELECT 'rows ' || count(*) FROM got;
SELECT 'identity_bad ' || count(*) FILTER (WHERE ih IS DISTINCT FROM want_ih) FROM got;
SELECT 'release_bad ' || count(*) FILTER (WHERE rd IS DISTINCT FROM want_rd) FROM got;
SELECT 'alt ' || count(*) || ' ' || count(*) FILTER (WHERE ih = base_ih AND rd = base_rd) FROM base WHERE kind = 'alt';
SELECT 'perm ' || count(*) || ' ' || count(*) FILTER (WHERE ih <> base_ih AND rd <> base_rd) FROM base WHERE kind = 'perm';
SELECT 'refuse ' || count(*) || ' ' || count(*) FILTER (
         WHERE identity LIKE '22023 number at \$.bad.n[1] of identity has no exact canonical JSON form'
           AND release LIKE '22023 number at \$.bad.n[1] of config has no exact canonical JSON form') FROM refused;
SELECT 'mismatch ' || id || ' ' || kind || ' ' || left(text, 300) || ' | want ' || want_ih || ' ' || want_rd
       || ' | got ' || ih || ' ' || rd
  FROM got WHERE ih IS DISTINCT FROM want_ih OR rd IS DISTINCT FROM want_rd ORDER BY id LIMIT 5;
SELECT 'refusal ' || id || ' ' || text || ' | ' || identity || ' | ' || release FROM refused
 WHERE NOT (identity LIKE '22023 %' AND release LIKE '22023 %') ORDER BY id LIMIT 5;
-- one JSON line per document, through COPY: psql's printing drops noncharacters (U+FFFE, U+3FFFE, ...)
\copy (SELECT json_build_object('text', text, 'limits', limits, 'image', image, 'ih', ih, 'rd', rd) FROM got ORDER BY id) TO '$work/db.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
ROLLBACK;
SQL
rc=$?
if [ "$rc" -ne 0 ]; then
    sed 's/^/#   /' "$work/psql.err" | head -n 20; hr_not_ok "the documents run through hookreg (psql exit $rc)"; exit 0
fi
val() { sed -n "s/^$1 //p" "$work/results.txt" | head -n 1; }
grep -E '^(mismatch|refusal) ' "$work/results.txt" | sed 's/^/#   /'
rows=$(val rows)
hr_check "opsrun_identity_hash equals npm canonicalize's digest for all $rows documents" "0" "$(val identity_bad)"
hr_check "release_digest (hookreg_create_release) equals npm canonicalize's digest for all $rows documents" "0" "$(val release_bad)"
read -r alts alts_ok <<<"$(val alt)"
hr_check "key order, white space and number spelling change no digest ($alts respellings)" "$alts" "$alts_ok"
read -r perms perms_ok <<<"$(val perm)"
hr_check "array order changes both digests ($perms documents with two array elements swapped)" "$perms" "$perms_ok"
read -r refs refs_ok <<<"$(val refuse)"
hr_check "numbers no double carries exactly are refused with 22023 at their JSON path, as identity and as config ($refs documents)" \
    "$refs" "$refs_ok"
[ "${rows:-0}" -ge "$n" ] || hr_not_ok "at least $n documents were compared (only ${rows:-0})"

# The documentation's snippets recompute what the database returned.
snippet() {  # snippet LANGUAGE COMMAND...
    local lang=$1 out checked bad; shift
    if out=$(timeout 120 "$@" "$HR_ROOT/doc/digests.md" <"$work/db.jsonl" 2>"$work/$lang.err"); then
        read -r checked bad <<<"$out"
        head -n 3 "$work/$lang.err" | sed 's/^/#   /'
        hr_check "the $lang snippet of doc/digests.md recomputes both digests of all $checked documents" "0" "$bad"
    else
        tail -n 20 "$work/$lang.err" | sed 's/^/#   /'; hr_not_ok "the $lang snippet of doc/digests.md runs"
    fi
}
snippet Python python3 "$dir/snippets.py"
snippet JavaScript node "$dir/snippets.js"
