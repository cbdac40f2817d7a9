-- Release digests become RFC 8785 (JCS) digests (see CHANGELOG.md, 0.2.0, and
-- doc/digests.md, "What the update from 0.1.0 did"). 0.1.0 printed reals with 17
-- significant digits (1.3999999999999999 for 1.4); 0.2.0 hashes the JCS text,
-- so every stored release_digest is recomputed here, and resubmitting a
-- release's content returns that release as before.
--
--   - A release whose config holds a number that JCS cannot carry exactly
--     (0.1.0 accepted 0.10000000000000001 or 9007199254740993; 0.2.0 refuses
--     such content) keeps its 0.1.0 digest.
--   - Releases of one hook whose contents are equal under JCS (configs
--     {"a": 1.0} and {"a": 1}) all stay, with their ids, versions and every
--     reference: the oldest (lowest version) gets the digest, each later one
--     the digest followed by "~v<its version>", which no content hashes to.
--     Resubmitting that content returns the oldest.
--
-- hook_releases refuses UPDATE through its trigger hook_releases_immutable:
-- it is disabled for the two statements below and enabled again, inside this
-- transaction (ALTER TABLE takes SHARE ROW EXCLUSIVE on hook_releases until
-- the update commits: new releases wait for it, readers do not). The trigger
-- itself is unchanged, so nothing but this script can ever rewrite a release.
-- The digests are moved in two steps because UNIQUE (hook_name,
-- release_digest) is checked row by row: the rows that change first take a
-- placeholder unique to them (their id), then their final digest.
--
-- run_identity_hash is not recomputed: the identity it hashes is not stored.
-- A run still queued or running whose identity's canonical text changed (one
-- with a real number, a control character U+001A..U+001F in a string, or a key
-- outside the Basic Multilingual Plane beside one in U+E000..U+FFFF) keeps its
-- 0.1.0 hash: opsrun_start with that identity starts a new run, and the old one
-- is completed by its run_id or failed by the reconciler once stale. The
-- NOTICE below counts the active runs.

CREATE FUNCTION hookreg.hookreg_stored_release_digest(image text, digest text, config jsonb, limits jsonb)
    RETURNS text LANGUAGE C STABLE STRICT
    AS 'MODULE_PATHNAME', 'hookreg_stored_release_digest_v2';

-- Every stored digest is computed once, into a temporary table (dropped
-- below, never an extension member): the rows whose digest changes.
CREATE TEMPORARY TABLE hookreg_jcs_digests ON COMMIT DROP AS
WITH content AS (
    SELECT id, hook_name, version, release_digest AS current,
           COALESCE(hookreg.hookreg_stored_release_digest(image, digest, config, limits),
                    release_digest) AS jcs
      FROM hookreg.hook_releases
), final AS (
    SELECT id, current,
           CASE WHEN pg_catalog.row_number() OVER (PARTITION BY hook_name, jcs ORDER BY version)
                     OPERATOR(pg_catalog.=) 1
                THEN jcs ELSE jcs OPERATOR(pg_catalog.||) '~v' OPERATOR(pg_catalog.||) version::text
           END AS digest
      FROM content
)
SELECT id, digest FROM final WHERE digest OPERATOR(pg_catalog.<>) current;

ALTER TABLE hookreg.hook_releases DISABLE TRIGGER hook_releases_immutable;

UPDATE hookreg.hook_releases r
   SET release_digest = 'hookreg-update ' OPERATOR(pg_catalog.||) r.id::text
  FROM pg_temp.hookreg_jcs_digests f
 WHERE r.id OPERATOR(pg_catalog.=) f.id;

UPDATE hookreg.hook_releases r
   SET release_digest = f.digest
  FROM pg_temp.hookreg_jcs_digests f
 WHERE r.id OPERATOR(pg_catalog.=) f.id;

ALTER TABLE hookreg.hook_releases ENABLE TRIGGER hook_releases_immutable;

DROP FUNCTION hookreg.hookreg_stored_release_digest(text, text, jsonb, jsonb);
DROP TABLE pg_temp.hookreg_jcs_digests;

DO $jcs$
DECLARE
    shared bigint;
    active bigint;
BEGIN
    SELECT pg_catalog.count(*) INTO shared FROM hookreg.hook_releases
     WHERE release_digest OPERATOR(pg_catalog.~) '~v[0-9]+$';
    IF shared OPERATOR(pg_catalog.>) 0 THEN
        RAISE NOTICE 'hookreg: % release(s) have the content of an older release of their hook under canonical JSON (RFC 8785)', shared
            USING DETAIL = 'They keep their rows and ids; their release_digest ends in ~v<version>, and submitting that content returns the older release.';
    END IF;
    SELECT pg_catalog.count(*) INTO active FROM hookreg.operation_runs
     WHERE status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running']);
    IF active OPERATOR(pg_catalog.>) 0 THEN
        RAISE NOTICE 'hookreg: % operation run(s) are queued or running', active
            USING DETAIL = 'Run identity hashes are RFC 8785 digests from 0.2.0 on. An active run whose identity holds a real number (or a control character, or keys outside the Basic Multilingual Plane) keeps its 0.1.0 hash: opsrun_start with that identity starts a new run.',
                  HINT = 'Complete such runs by run_id (opsrun_complete), or let the reconciler fail them once they are stale.';
    END IF;
END
$jcs$;
