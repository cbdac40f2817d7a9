-- hookreg demo: what the extension does so far. Run by scripts/demo.sh.
\pset footer off

-- The module and the installed extension carry one version.
SELECT hookreg_version() AS module_version,
       (SELECT extversion FROM pg_extension WHERE extname = 'hookreg') AS installed_version;

-- Convention slugs: lowercase, runs of other characters become one dash.
SELECT hookreg_slugify('Mass Spectrometry -- Proteomics (v2)') AS slug;

-- Tenants' external ids must be UUID version 4.
SELECT opsrun_is_uuid_v4('f47ac10b-58cc-4372-a567-0e02b2c3d479') AS v4,
       opsrun_is_uuid_v4('6ba7b810-9dad-11d1-80b4-00c04fd430c8') AS v1_is_v4;

-- Sanitizing (SPEC 3.3): secrets and e-mail addresses become [redacted];
-- failure summaries are merged; secret-looking context members are dropped.
SELECT opsrun_sanitize_message(E'GET https://graph.microsoft.com/v1.0/me failed: 401\n'
       'Authorization: Bearer eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJncmFwaCJ9.c2ln user=jane.doe@contoso.com') AS sanitized;
SELECT opsrun_sanitize_failures('[{"code": "Graph.Throttled", "message": "429 from graph"},
                                  {"code": "graph.throttled", "message": "429  from graph", "count": 4}]') AS failures;
SELECT opsrun_sanitize_context('{"tenant": "contoso", "auth": {"clientSecret": "x", "scope": "User.Read"}}') AS context;
