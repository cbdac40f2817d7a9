-- Sanitizing (doc/sanitizing.md): pure functions, callable by anyone.

CREATE FUNCTION opsrun_sanitize_message(message text) RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_message_v2';
COMMENT ON FUNCTION opsrun_sanitize_message(text) IS
    'secrets and personal data replaced with [redacted], control characters and white space folded; idempotent';

CREATE FUNCTION opsrun_sanitize_failures(failures jsonb) RETURNS jsonb
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_failures_v2';
COMMENT ON FUNCTION opsrun_sanitize_failures(jsonb) IS
    'failure summary [{code, message, count}]: codes checked, messages sanitized and cut to 500 characters, equal entries merged, at most 50';

CREATE FUNCTION opsrun_sanitize_context(context jsonb) RETURNS jsonb
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_context_v2';
COMMENT ON FUNCTION opsrun_sanitize_context(jsonb) IS
    'run context as opsrun_start stores it: members whose key looks like a secret dropped at any depth';
