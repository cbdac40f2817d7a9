#!/usr/bin/env bash
# sanitize_codes: secrets sent through a failure code, and failure messages
# of any length, by an ops writer in its own login session (psql -U, never
# SET ROLE from a superuser). Each check fails on 0.1.0, which stored the
# code as sent and refused a message over 1 MiB:
#   - opsrun_fail with a Databricks token, a GitHub token or
#     db.password.hunter2 as the code stores unknown_error, and the one
#     WARNING names the code sanitized (no piece of the secret in it);
#   - opsrun_complete with three such codes gives one WARNING for all three;
#   - opsrun_fail with a 10 MB message stores it cut to 500 characters.
# In the shared test cluster: login role hr_sc_ops, workspace 9481, type
# sancode.login, all removed at the end. About 3 seconds.
# test-timeout: 300
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init sanitize_codes
db=${HR_DB:-hookreg_test}
W=$HR_SUITE_DIR

su() { hr_timeout "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
# as_ops SQL: in hr_sc_ops's own session; rows on stdout, notices in $W/notices
as_ops() { hr_timeout "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U hr_sc_ops -d "$db" -c "$1" 2>"$W/notices"; }
check() {  # check DESCRIPTION ACTUAL EXPECTED
    if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1 (got '$2', want '$3')"; fi
}
cleanup() {
    su "DELETE FROM hookreg.operation_runs WHERE workspace_id = 9481;
        DELETE FROM hookreg.workspaces WHERE id = 9481;
        DELETE FROM hookreg.operation_types WHERE type = 'sancode.login'" >/dev/null 2>&1
    su "DROP ROLE IF EXISTS hr_sc_ops" >/dev/null 2>&1
}
hr_on_exit cleanup
cleanup
su "CREATE ROLE hr_sc_ops LOGIN IN ROLE hookreg_ops_writer;
    INSERT INTO hookreg.workspaces (id, name) VALUES (9481, 'sanitize codes suite');
    SELECT opsrun_register_type('sancode.login', 'workspace', ARRAY['total'])" >/dev/null \
    || { echo "not ok - fixtures"; exit 0; }

start() { as_ops "SELECT run_id FROM opsrun_start(9481, NULL, 'sancode.login', '{\"case\": \"$1\"}')"; }
stored_code() { su "SELECT failure_summary -> 0 ->> 'code' FROM hookreg.operation_runs WHERE id = $1"; }

token=dapi0123456789abcdef0123456789abcdef
run=$(start databricks)
as_ops "SELECT opsrun_fail($run, '$token', 'rejected')" >/dev/null
check "a Databricks token sent as the code by an ops writer is stored as unknown_error" "$(stored_code "$run")" "unknown_error"
check "one WARNING names the replaced code" "$(grep -c '^WARNING:  failure_summary: 1 failure code replaced by unknown_error' "$W/notices")" "1"
check "the WARNING holds no piece of the token" "$(grep -c '0123456789abcdef' "$W/notices")" "0"

run=$(start github)
as_ops "SELECT opsrun_fail($run, 'sync.ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'x')" >/dev/null
check "a GitHub token in a code is stored as unknown_error" "$(stored_code "$run")" "unknown_error"
check "the WARNING shows the code sanitized" "$(grep -c 'Carries a secret: "sync.\[redacted\]"' "$W/notices")" "1"

run=$(start password)
as_ops "SELECT opsrun_fail($run, 'db.password.hunter2', 'login failed')" >/dev/null
check "db.password.hunter2 is stored as unknown_error" "$(stored_code "$run")" "unknown_error"
check "the WARNING names db.password.[redacted], without the password" \
    "$(grep -c 'db.password.\[redacted\]' "$W/notices"):$(grep -c hunter2 "$W/notices")" "1:0"

run=$(start complete)
as_ops "SELECT opsrun_complete($run, 'failed', '{}', '[{\"code\": \"$token\", \"message\": \"a\"},
          {\"code\": \"db.secret.s3cr3tvalue\", \"message\": \"b\"}, {\"code\": \"Bad Code\", \"message\": \"c\"}]')" >/dev/null
check "three replaced codes in one summary give one WARNING" \
    "$(grep -c '^WARNING:  failure_summary: 3 failure codes replaced by unknown_error' "$W/notices"):$(grep -c '^WARNING' "$W/notices")" "1:1"
check "every replaced code of the summary is stored as unknown_error" \
    "$(su "SELECT string_agg(e ->> 'code', ',') FROM hookreg.operation_runs r, jsonb_array_elements(r.failure_summary) e WHERE r.id = $run")" \
    "unknown_error,unknown_error,unknown_error"

run=$(start long)
as_ops "SELECT opsrun_fail($run, 'sync.timeout', repeat('x', 10 * 1024 * 1024))" >/dev/null
check "opsrun_fail with a 10 MB message stores 500 characters" \
    "$(su "SELECT failure_summary -> 0 ->> 'code' || ':' || length(failure_summary -> 0 ->> 'message') FROM hookreg.operation_runs WHERE id = $run")" \
    "sync.timeout:500"
