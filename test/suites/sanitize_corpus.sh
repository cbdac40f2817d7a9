#!/usr/bin/env bash
# sanitize_corpus: the sanitizer measured on the corpora of test/corpus/wild/
# (built by test/corpus/build/, see test/corpus/README.md). Reports recall
# per format family, per form and overall, and fails when
#   - fewer than 98% of the named-format secrets are redacted,
#   - fewer than 90% of those standing bare in a sentence,
#   - fewer than 90% of all secret and personal-data messages,
#   - any secret that 0.1.0's rules (the letter of the key list, JWT, URL
#     credentials, PEM, e-mail, opaque tokens) already required leaks,
#   - more than 0.1% of the harmless messages change beyond white space,
#   - sanitizing is not idempotent on any message of the corpora,
#   - the corpora are smaller or less varied than the README says.
# A secret leaks when it survives whole, or a piece of it of 8 characters
# and 30% of its length survives. About 20 seconds.
# test-timeout: 300
set -uo pipefail
source "$HR_ROOT/scripts/lib.sh"
hr_pg_paths
cd "$HR_ROOT"
db=${HR_DB:-hookreg_test}
out=${HR_TMP:-/tmp}/sanitize_corpus.out

hr_timeout "$PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$db" >"$out" 2>&1 <<'SQL'
CREATE TEMP TABLE raw(n serial, line text);
\copy raw(line) FROM 'test/corpus/wild/secrets.jsonl' WITH (FORMAT csv, DELIMITER E'\x02', QUOTE E'\x01')
CREATE TEMP TABLE raw_h(n serial, line text);
\copy raw_h(line) FROM 'test/corpus/wild/harmless.jsonl' WITH (FORMAT csv, DELIMITER E'\x02', QUOTE E'\x01')

-- A piece of the secret of max(8, 30%) characters in the output is a leak.
CREATE FUNCTION pg_temp.leaks(secret text, sanitized text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT strpos(sanitized, secret) > 0
        OR (length(secret) >= 8 AND EXISTS (
              SELECT 1 FROM generate_series(1, length(secret) - greatest(8, ceil(0.3 * length(secret))::int) + 1) i
               WHERE strpos(sanitized, substr(secret, i, greatest(8, ceil(0.3 * length(secret))::int))) > 0))
$$;
CREATE FUNCTION pg_temp.squeeze(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(t, E'[\\s\\x01-\\x1f\\x7f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+', '', 'g')
$$;

CREATE TEMP TABLE s AS
SELECT n, j ->> 'family' AS family, j ->> 'format' AS format, j ->> 'form' AS form,
       (j ->> 'named')::boolean AS named, (j ->> 'letter')::boolean AS letter,
       j ->> 'message' AS message,
       ARRAY(SELECT jsonb_array_elements_text(j -> 'secrets')) AS secrets,
       opsrun_sanitize_message(j ->> 'message') AS sanitized
  FROM (SELECT n, line::jsonb AS j FROM raw) x;
ALTER TABLE s ADD COLUMN leaked boolean;
UPDATE s SET leaked = EXISTS (SELECT 1 FROM unnest(secrets) x WHERE pg_temp.leaks(x, sanitized));

CREATE TEMP TABLE h AS
SELECT n, j ->> 'source' AS source, j ->> 'kind' AS kind, j ->> 'message' AS message,
       opsrun_sanitize_message(j ->> 'message') AS sanitized
  FROM (SELECT n, line::jsonb AS j FROM raw_h) x;

\pset format unaligned
\pset fieldsep '\t'
-- report lines: R <group> <name> <messages> <redacted> <recall %>
SELECT 'R', 'family', family, count(*), count(*) FILTER (WHERE NOT leaked),
       round(100.0 * count(*) FILTER (WHERE NOT leaked) / count(*), 1)
  FROM s GROUP BY family ORDER BY family;
SELECT 'R', 'form', form, count(*), count(*) FILTER (WHERE NOT leaked),
       round(100.0 * count(*) FILTER (WHERE NOT leaked) / count(*), 1)
  FROM s GROUP BY form ORDER BY form;
SELECT 'R', 'overall', g, count(*), count(*) FILTER (WHERE NOT leaked),
       round(100.0 * count(*) FILTER (WHERE NOT leaked) / count(*), 1)
  FROM s, LATERAL (VALUES ('all'), (CASE WHEN named THEN 'named' END),
                          (CASE WHEN named AND form = 'bare' THEN 'named_bare' END),
                          (CASE WHEN letter THEN 'letter' END),
                          (CASE WHEN family = 'personal' THEN 'personal' END)) v(g)
 WHERE g IS NOT NULL GROUP BY g ORDER BY g;
SELECT 'H', count(*), count(*) FILTER (WHERE pg_temp.squeeze(sanitized) <> pg_temp.squeeze(message))
  FROM h;
SELECT 'H_' || kind, count(*), count(*) FILTER (WHERE pg_temp.squeeze(sanitized) <> pg_temp.squeeze(message))
  FROM h GROUP BY kind ORDER BY kind;
SELECT 'SIZE', (SELECT count(*) FROM s WHERE family <> 'personal'), (SELECT count(*) FROM s WHERE family = 'personal'),
       (SELECT count(DISTINCT format) FROM s WHERE named), (SELECT count(*) FROM h),
       (SELECT string_agg(DISTINCT form, ',' ORDER BY form) FROM s);
SELECT 'IDEM', (SELECT count(*) FROM s WHERE opsrun_sanitize_message(sanitized) <> sanitized)
             + (SELECT count(*) FROM h WHERE opsrun_sanitize_message(sanitized) <> sanitized);
-- examples for a failing run
SELECT 'LEAK', family, format, form, letter, left(sanitized, 300) FROM s WHERE leaked ORDER BY letter DESC, family, n LIMIT 40;
SELECT 'CHANGED', source, left(message, 200), left(sanitized, 200) FROM h
 WHERE pg_temp.squeeze(sanitized) <> pg_temp.squeeze(message) ORDER BY n LIMIT 40;
SQL
rc=$?
if [ $rc -ne 0 ]; then
    cat "$out"
    echo "not ok - the corpus measurement ran (psql exit $rc)"
    exit 0
fi

awk -F'\t' '
function pct(a, b) { return b ? 100.0 * a / b : 0 }
$1 == "R" { printf "# %-8s %-28s %6d messages %6d redacted %6.1f%%\n", $2, $3, $4, $5, $6
            if ($2 == "overall") { n[$3] = $4; ok[$3] = $5 } }
$1 == "H" { hn = $2; hc = $3 }
$1 ~ /^H_/ { printf "# harmless %-20s %6d messages %4d changed\n", substr($1, 3), $2, $3 }
$1 == "SIZE" { secrets = $2; personal = $3; formats = $4; harmless = $5; forms = $6 }
$1 == "IDEM" { idem = $2 }
$1 == "LEAK" { leaks[++nl] = $0 }
$1 == "CHANGED" { changed[++nc] = $0 }
END {
    printf "# harmless: %d messages, %d changed beyond white space (%.3f%%)\n", hn, hc, pct(hc, hn)
    for (i = 1; i <= nl && i <= 40; i++) print "# leak: " leaks[i]
    for (i = 1; i <= nc && i <= 40; i++) print "# changed: " changed[i]
    t = (secrets >= 5000 && personal >= 150 && formats >= 60 && harmless >= 10000 &&
         forms == "bare,cli,env,header,json,kv,pem,sql,url")
    printf "%s - corpora: %d secret messages, %d personal-data messages, %d named formats, %d harmless messages, forms %s\n",
        (t ? "ok" : "not ok"), secrets, personal, formats, harmless, forms
    r = pct(ok["named"], n["named"])
    printf "%s - named-format secrets redacted: %.2f%% (at least 98%%)\n", (r >= 98 ? "ok" : "not ok"), r
    r = pct(ok["named_bare"], n["named_bare"])
    printf "%s - named-format secrets standing bare redacted: %.2f%% (at least 90%%)\n", (r >= 90 ? "ok" : "not ok"), r
    r = pct(ok["all"], n["all"])
    printf "%s - all secret and personal-data messages redacted: %.2f%% (at least 90%%)\n", (r >= 90 ? "ok" : "not ok"), r
    printf "%s - secrets the 0.1.0 rules require: %d of %d leak (none may)\n",
        (ok["letter"] == n["letter"] ? "ok" : "not ok"), n["letter"] - ok["letter"], n["letter"]
    r = pct(hc, hn)
    printf "%s - harmless messages changed beyond white space: %.3f%% (at most 0.1%%)\n", (r <= 0.1 ? "ok" : "not ok"), r
    printf "%s - sanitizing is idempotent on every corpus message (%d not)\n", (idem == 0 ? "ok" : "not ok"), idem
}' "$out"
