-- Sanitizing (SPEC 3.3): exact outputs of representative cases.

-- Messages: each kind of secret becomes [redacted].
SELECT m AS message, opsrun_sanitize_message(m) AS sanitized
  FROM (VALUES
    ('GET https://graph.microsoft.com/v1.0/users failed: 401 Unauthorized (Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ)'),
    ('request failed: header Authorization: Basic dXNlcjpodW50ZXIy rejected'),
    ('Bearer 7f3kq9ZpL2mXw8RtYb5N'),
    ('Basic authentication failed for user admin'),
    ('WWW-Authenticate: Bearer realm="graph", error="invalid_token"'),
    ('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c expired'),
    ('connect failed: password=hunter2 host=db1'),
    ('config: {"client_secret": "s3cr3t-Value~x", "client_id": "abc"}'),
    ('retry with api_key: AKIA1234 and PWD=x'),
    ('psql: error: connection to "postgres://app:S3cretPw@db.internal:5432/app" failed'),
    ('callback https://app.example.com/cb?code=abc&access_token=ya29.a0AfH6SM&state=xyz'),
    ('https://store.blob.core.windows.net/c/f.txt?sv=2022-11-02&se=2024-01-01&sig=Zm9vYmFyYmF6cXV4%2Bslash%3D'),
    ('Set-Cookie: session=abc123; Path=/; HttpOnly'),
    ('Cookie: a=1; b=2 then more text'),
    ('key -----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA7
-----END RSA PRIVATE KEY----- loaded'),
    ('user jane.doe@contoso.onmicrosoft.com not found'),
    ('opaque token dGhpcyBpcyBhIHNlY3JldCB0b2tlbiB0aGF0IGlzIGxvbmc= rejected'),
    ('X-Api-Key: 0123abcd and x-api-key=ffff'),
    ('{\"password\":\"p@ss w0rd\",\"user\":\"bob\"}'),
    ('accessToken=abcdef; refreshToken = ghijkl'),
    ('password=[redacted] already')
  ) AS v(m);

-- Keys are matched case-insensitively, with - . _ and camelCase folded, by
-- suffix and by the words password/passwd/pwd/secret; other schemes; lists.
SELECT m AS message, opsrun_sanitize_message(m) AS sanitized
  FROM (VALUES
    ('env DB_PASSWORD=p0stgr3s AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG token_type=Bearer'),
    ('settings.SECRET_KEY = ''dj4ng0-k3y'' and clientSecret: Qz8~kL2'),
    ('X-Hub-Signature-256: sha256=Wh00kS1g; next'),
    ('Stripe-Signature: t=1492774577,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'),
    ('unable to authenticate user [elastic] with ApiKey ZWxhc3RpYzpFbDRzdDFjLUszeQ=='),
    ('https://graph.microsoft.com/v1.0/users/delta?$deltatoken=R0usmcCM996atia_s8Ey6rqkTKnzs6bGKg3VQ_AbC1x'),
    ('docker login --username ci --password Dkr-Pa55 registry.example.com'),
    ('{"token": null, "password": {"value": "abc"}, "ok": true}'),
    ('conninfo host=db password=abc&def user=x and https://h/p?a=1&password=abc&def=2')
  ) AS v(m);

-- Harmless text survives, apart from white-space folding.
SELECT m AS message, opsrun_sanitize_message(m) AS sanitized
  FROM (VALUES
    ('sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 mismatch'),
    ('tenant 3f2504e0-4f89-41d3-9a0c-0305e82c3301 not found'),
    ('GET https://graph.microsoft.com/v1.0/groups/3F2504E0-4F89-41D3-9A0C-0305E82C3301/members returned 404'),
    ('File "/srv/app/releases/current/worker/tasks.py", line 42, in run'),
    ('getUserPrincipalNameFromDirectoryObjectAndTenantId failed'),
    ('Die Anmeldung ist fehlgeschlagen: Zeitüberschreitung nach 30 Sekunden'),
    ('认证失败：请求超时'),
    ('  tabs	and
newlines    folded  ')
  ) AS v(m);

-- Control characters become spaces; invalid bytes cannot reach SQL text.
SELECT opsrun_sanitize_message(E'a\x01b\x7fc\u0085d') AS controls;
SELECT opsrun_sanitize_message('') AS empty, opsrun_sanitize_message(NULL) IS NULL AS null_in_null_out;

-- Idempotence on every case above.
SELECT count(*) AS not_idempotent
  FROM (VALUES ('Authorization: Bearer abc.def.ghi'), ('password= [redacted]x'),
               ('pwd=a&pwd=b'), ('a@b.cd@e.fg'), ('"token": "unterminated')) AS v(m)
 WHERE opsrun_sanitize_message(opsrun_sanitize_message(m)) <> opsrun_sanitize_message(m);

-- 0.2.0 rules: token formats (bare too), random tokens whatever their case,
-- the longer key list, command-line and SQL password syntax, personal data,
-- URL passwords with @ and ', JDBC; and what they leave alone.
SELECT m AS message, opsrun_sanitize_message(m) AS sanitized
  FROM (VALUES
    ('GitHub said 401 for ghp_16C7e42F292c6912E7710c838347Ae178B4a while syncing'),
    ('using AKIAIOSFODNN7EXAMPLE in eu-west-1'),
    ('post to https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D4E/AbCdEfGhIjKlMnOpQrStUvWx failed'),
    ('Databricks rejected dapi0123456789abcdef0123456789abcdef'),
    ('key sk_live_51H8xQ2eZvKYlo2C9mD3kaB and 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'),
    ('commit 44e071374fa3255af91342f8ce4629ff2aa1efe0 and sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 stay'),
    ('random key XKQPZRTLMNBVCXZQWERTYUIOPASDFGHJ7 and xkqpzrtlmnbvcxz2wertyuiopasdfgh9k'),
    ('ConnectionPoolTimeoutException in /srv/app/releases/20240115/worker/tasks.py, request 72f988bf-86f1-41af-91ab-2d7cd011db47'),
    ('PGPASSWORD=s3cret psql failed; Ocp-Apim-Subscription-Key: 0123abcd; AccountKey=Zm9vYmFy'),
    ('Cookie: JSESSIONID=1A2B3C4D5E6F; laravel_session=eyJpdiI6abc; connect.sid=s%3Aabc'),
    ('mysql -u root -pHunter22 app; sshpass -p Tr0ub4dor ssh host; curl -u deploy:hunter2 https://x'),
    ($$CREATE ROLE app LOGIN PASSWORD 'hunter2'; CREATE USER 'u'@'%' IDENTIFIED BY 'p4ss'$$),
    ('card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789, IP 10.0.3.17'),
    ('guest jane_gmail.com#EXT#@contoso.onmicrosoft.com and jöran@beispiel.de'),
    ($$mysql://root:it's@ok@db/app and jdbc:sqlserver://db;user=sa;password=P@ss;encrypt=true$$),
    ('InvalidAuthenticationToken: Access token has expired or is not yet valid.'),
    ('could not encrypt password: out of memory')
  ) AS v(m);

-- Failure summaries: codes lowercased or unknown_error, messages sanitized,
-- equal entries merged with their counts added.
SELECT opsrun_sanitize_failures('[
  {"code": "Graph.Throttled", "message": "429 from https://graph.microsoft.com"},
  {"code": "graph.throttled", "message": "429  from https://graph.microsoft.com", "count": 4},
  {"code": "9bad", "message": "x"},
  {"code": "a..b", "message": "x", "count": 2},
  {"code": "auth.failed", "message": "password=hunter2"},
  {"code": "auth.failed", "message": "password=other"}
]'::jsonb) AS merged;
SELECT opsrun_sanitize_failures('[]') AS empty;
-- A code that carries a secret is unknown_error too, with one WARNING naming
-- every replaced code, sanitized.
SELECT opsrun_sanitize_failures('[
  {"code": "db.password.hunter2", "message": "login failed"},
  {"code": "Sync.ghp_16C7e42F292c6912E7710c838347Ae178B4a", "message": "401"},
  {"code": "dapi0123456789abcdef0123456789abcdef", "message": "403"},
  {"code": "api_key_9f8e7d6c5b", "message": "x"},
  {"code": "auth.password_expired", "message": "kept: a code about passwords"},
  {"code": "token.expired", "message": "kept"},
  {"code": "Bad Code", "message": "y"}
]'::jsonb) AS code_secrets;
-- opsrun_sanitize_message on a 4 MB run without white space: cut, not emptied.
SELECT left(opsrun_sanitize_message(repeat('abc', 1500000)), 12) AS long_run_head,
       length(opsrun_sanitize_message(repeat('abc', 1500000))) AS long_run_chars,
       opsrun_sanitize_message(repeat('Ab1', 1500000)) AS one_token,
       left(opsrun_sanitize_message(repeat('{"a":"word",', 400000)), 24) AS json_head;
SELECT opsrun_sanitize_failures(jsonb_build_array(jsonb_build_object('code', repeat('a', 64), 'message', 'm'),
                                                   jsonb_build_object('code', repeat('a', 65), 'message', 'm')))
       -> 1 ->> 'code' AS code_65_chars;

-- At most 50 entries, first seen first; later duplicates still merge.
SELECT jsonb_array_length(s) AS entries, s -> 0 ->> 'code' AS first, s -> 49 ->> 'code' AS last,
       s -> 0 ->> 'count' AS first_count
  FROM (SELECT opsrun_sanitize_failures(
          (SELECT jsonb_agg(jsonb_build_object('code', 'c' || g, 'message', 'm')) FROM generate_series(1, 60) g)
          || '[{"code": "c1", "message": "m", "count": 9}]') AS s) x;

-- 500 characters, never splitting a multibyte character.
SELECT length(s -> 0 ->> 'message') AS chars, octet_length(s -> 0 ->> 'message') AS bytes,
       right(s -> 0 ->> 'message', 2) AS tail
  FROM (SELECT opsrun_sanitize_failures(jsonb_build_array(jsonb_build_object(
          'code', 'x', 'message', repeat('a', 499) || 'éèê'))) AS s) x;
SELECT length(s -> 0 ->> 'message') AS chars
  FROM (SELECT opsrun_sanitize_failures(jsonb_build_array(jsonb_build_object(
          'code', 'x', 'message', repeat('€', 600)))) AS s) x;
-- A cut never leaves half a marker.
SELECT right(s -> 0 ->> 'message', 12) AS tail, length(s -> 0 ->> 'message') AS chars
  FROM (SELECT opsrun_sanitize_failures(jsonb_build_array(jsonb_build_object(
          'code', 'x', 'message', repeat('a', 490) || ' pwd=hunter2'))) AS s) x;

-- Bad shapes: 22023; oversize: 54000.
\set VERBOSITY default
SELECT opsrun_sanitize_failures('{"code": "x", "message": "y"}');
SELECT opsrun_sanitize_failures('[1]');
SELECT opsrun_sanitize_failures('[{"code": "x"}]');
SELECT opsrun_sanitize_failures('[{"code": "x", "message": 5}]');
SELECT opsrun_sanitize_failures('[{"code": "x", "message": "y", "extra": 1}]');
SELECT opsrun_sanitize_failures('[{"code": "x", "message": "y", "count": 0}]');
SELECT opsrun_sanitize_failures('[{"code": "x", "message": "y", "count": 1.5}]');
SELECT opsrun_sanitize_failures('[{"code": null, "message": "y"}]');
SELECT opsrun_sanitize_failures(jsonb_build_array(jsonb_build_object('code', 'x', 'message', repeat('y', 1100000))));

-- Context: secret-looking members dropped at any depth; not an object: 22023.
SELECT opsrun_sanitize_context('{"source": "manual", "password": "x", "nested": {"Client-Secret": 1, "keep": [{"accessToken": "t", "n": 2}]}, "apiKey": "k", "token_type": "Bearer"}');
SELECT opsrun_sanitize_context('[]');
SELECT opsrun_sanitize_context(('{"a": "' || repeat('x', 70000) || '"}')::jsonb);
SELECT opsrun_sanitize_context((repeat('{"a": ', 40) || '1' || repeat('}', 40))::jsonb);
