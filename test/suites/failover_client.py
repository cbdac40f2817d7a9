#!/usr/bin/env python3
"""One client of test/suites/failover.sh (psycopg2, Debian's python3-psycopg2).

    failover_client.py KIND WORKER DSN LOG STOPFILE DEADLINE [HOOK]

KIND is one of releaser, roller, runner, ops. The client loops until STOPFILE
exists or DEADLINE (seconds since the epoch) passes. It connects through DSN,
a multi-host libpq connection string with target_session_attrs=read-write, so
after a failover it reconnects to whichever node is primary now. Every
transaction it saw committed (COMMIT returned, and no warning that the
synchronous-replication wait was cancelled) is appended to LOG, one line:

    kind <TAB> hook <TAB> id <TAB> a <TAB> b <TAB> epoch seconds

An operation whose outcome is unknown (the connection broke before or during
COMMIT) is not logged; the client reconnects and carries on. Errors that are
not connection errors are counted on stderr (they are a failure of the
suite when they happen, see the summary line the client prints at its end).
"""
import hashlib
import random
import sys
import time

import psycopg2
import psycopg2.extensions

kind, worker, dsn, log_path, stopfile, deadline = sys.argv[1:7]
hook = sys.argv[7] if len(sys.argv) > 7 else ""
worker = int(worker)
deadline = float(deadline)
rng = random.Random(worker * 7919 + int(time.time()))

stats = {"committed": 0, "in_doubt": 0, "reconnects": 0, "errors": 0}
log = open(log_path, "a", buffering=1)


def stopped():
    if time.time() >= deadline:
        return True
    try:
        open(stopfile).close()
        return True
    except OSError:
        return False


def rec(k, h, i, a="", b=""):
    log.write("%s\t%s\t%s\t%s\t%s\t%.3f\n" % (k, h, i, a, b, time.time()))
    stats["committed"] += 1


class Lost(Exception):
    """The connection broke: the outcome of the transaction is unknown."""


conn = None


def connect():
    global conn
    while not stopped():
        try:
            conn = psycopg2.connect(dsn)
            conn.set_session(autocommit=False)
            return True
        except psycopg2.OperationalError:
            stats["reconnects"] += 1
            time.sleep(0.2)
    return False


def txn(statements, expected=()):
    """Run [(sql, args)] in one transaction; return the rows of the last one.

    Raises Lost when the connection broke (outcome unknown). An error whose
    SQLSTATE is in expected returns None without counting as an error."""
    try:
        cur = conn.cursor()
        rows = None
        for sql, args in statements:
            cur.execute(sql, args)
            rows = cur.fetchall() if cur.description else None
        del conn.notices[:]
        conn.commit()
        # A cancelled wait for the synchronous standby commits locally only:
        # not a commit the client may count on.
        if any("synchronous replication" in n for n in conn.notices):
            stats["in_doubt"] += 1
            raise Lost()
        return rows
    except psycopg2.InterfaceError:
        stats["in_doubt"] += 1
        raise Lost()
    except psycopg2.Error as e:
        # psycopg2 maps SQLSTATE classes 53-58 to OperationalError too (a
        # 55000 from the server is an answer, not a broken connection): the
        # connection is lost when it is closed, when no SQLSTATE came back,
        # or when the server said it is going away (57P0x, 08xxx).
        if conn.closed or e.pgcode is None or e.pgcode[:3] == "57P" or e.pgcode[:2] == "08":
            stats["in_doubt"] += 1
            raise Lost()
        conn.rollback()
        if e.pgcode in expected:
            return None
        stats["errors"] += 1
        sys.stderr.write("worker %d %s: %s: %s\n" % (worker, kind, e.pgcode, str(e).strip()))
        return None


def digest(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def step_releaser(k):
    rows = txn([("SELECT release_id, version FROM hookreg_create_release(%s, 'registry.example/failover', %s,"
                 " %s::jsonb, '{\"timeout_seconds\": 60}', 'failover-driver')",
                 (hook, digest("w%d k%d %f" % (worker, k, time.time())), '{"worker": %d, "k": %d}' % (worker, k)))])
    if rows:
        rec("release", hook, rows[0][0], rows[0][1])


def step_roller(k):
    rows = txn([("SELECT live_release_id, coalesce(previous_version, 0), live_version"
                 "  FROM hookreg_set_live(%s, (SELECT (1 + floor(random() * max(version)))::int"
                 "                              FROM hookreg.hook_releases WHERE hook_name = %s))", (hook, hook))])
    if rows:
        rec("set_live", hook, rows[0][0], rows[0][1], rows[0][2])


def step_runner(k):
    subject = "w%d k%d %d" % (worker, k, int(time.time() * 1000))
    rows = txn([("SELECT hookreg_record_run(l.release_id, 'passed', now() - interval '2 seconds', now(),"
                 " run_id => hookreg_run_id(%s)) FROM hookreg_resolve_live(ARRAY[%s]) AS l", (subject, hook)),
                ("INSERT INTO hookreg_features." + hook + " (run_id, subject, score)"
                 " VALUES (hookreg_run_id(%s), %s, %s) RETURNING run_id", (subject, subject, k))])
    if rows:
        rec("run", hook, rows[0][0], subject)


pending = None  # an ops run this worker claimed whose completion is in doubt


def step_ops(k):
    global pending
    if pending is not None:
        # Finish what the lost connection left running (a completed run
        # refuses with 55000, which says the earlier COMMIT went through).
        rows = txn([("SELECT status FROM opsrun_complete(%s, 'succeeded', '{\"processed\": 1}')", (pending,))],
                   expected=("55000",))
        if rows:
            rec("ops_complete", "", pending)
        pending = None
        return
    ws, tenant = WS, TENANTS[k % len(TENANTS)]
    rows = txn([("SELECT run_id, reused FROM opsrun_start(%s, %s, 'failover.job', %s::jsonb)",
                 (ws, tenant, '{"k": %d}' % (k % 3)))])
    if not rows:
        return
    run = rows[0][0]
    rec("ops_start", "", run)
    # From here on a lost connection leaves the run queued or running: the
    # next step completes it (queued|running -> completed), so no identity
    # stays blocked by a run whose worker lost track of it.
    pending = run
    rows = txn([("SELECT opsrun_claim(%s)", (run,))])
    if not rows or not rows[0][0]:
        pending = None
        return
    rec("ops_claim", "", run)
    rows = txn([("SELECT status FROM opsrun_complete(%s, 'succeeded', %s::jsonb)",
                 (run, '{"processed": %d}' % k))])
    pending = None
    if rows:
        rec("ops_complete", "", run)


def main():
    global WS, TENANTS, pending
    step = {"releaser": step_releaser, "roller": step_roller,
            "runner": step_runner, "ops": step_ops}[kind]
    if not connect():
        return
    if kind == "ops":
        while True:
            try:
                rows = txn([("SELECT w.id, array_agg(t.id ORDER BY t.id) FROM hookreg.workspaces w"
                             " JOIN hookreg.tenants t ON t.workspace_id = w.id"
                             " WHERE w.name = 'failover' GROUP BY w.id", None)])
                WS, TENANTS = rows[0][0], rows[0][1]
                break
            except Lost:
                if not connect():
                    return
    k = 0
    while not stopped():
        k += 1
        try:
            step(k)
        except Lost:
            try:
                conn.close()
            except psycopg2.Error:
                pass
            stats["reconnects"] += 1
            if not connect():
                break
        time.sleep(rng.uniform(0.0, 0.02))
    sys.stderr.write("worker %d %s: %s\n" % (worker, kind, " ".join("%s=%d" % kv for kv in sorted(stats.items()))))


main()
