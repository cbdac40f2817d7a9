#!/usr/bin/env python3
"""The flows of hookreg through PgBouncer in transaction pooling mode.

Run by test/suites/pgbouncer.sh, which starts the cluster and PgBouncer and
creates the login roles. Many clients (threads, one psycopg2 connection each,
through PgBouncer) share few server connections and run every flow: deploy a
convention, create releases, roll back, resolve a snapshot, record runs with
feature rows, read provenance, start one identity from racing clients, claim,
complete with secrets in the failure summary, reconcile; some transactions
fail on purpose (a missing version, a role without the right, a run already
completed), some switch role with SET LOCAL ROLE. Each client logs what it saw
committed. Every transaction begins with a probe of the server connection's
session state (role, prepared statements, temporary tables, LISTEN channels,
advisory locks, session-level settings, search_path): it must be what a fresh
connection has. Afterwards, on a direct connection, the invariants are checked
and every logged commit is looked up with the actor it must carry.

Prints one "ok - ..." / "not ok - ..." line per check.

    flows.py BOUNCER_CONNINFO DIRECT_CONNINFO
"""
import hashlib
import json
import random
import sys
import threading
import time
import traceback

import psycopg2

BOUNCER, DIRECT = sys.argv[1], sys.argv[2]
SECRET_WORDS = ["hunter2", "s3cr3t-token-value", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "Zq9pw-app"]
TRANSACTIONS = 30     # per client and flow loop
POOL_SIZE = 2         # default_pool_size in the suite's pgbouncer.ini
OPS_ROLES = ("bo_ops_a", "bo_ops_b", "bo_ops_c")
RACERS = 12           # clients racing each opsrun_start, over the three roles

lock = threading.Lock()
log = []              # (kind, fields...) of what clients saw committed
probes = []           # (login, backend pid, client id, violations)
errors = []           # unexpected exceptions, with the client that raised them
results = []          # ok/not ok lines


def say(ok, what, detail=None):
    with lock:
        results.append(("ok - " if ok else "not ok - ") + what)
        if not ok and detail:
            results.extend("# " + line for line in str(detail).splitlines()[:30])


def record(*entry):
    with lock:
        log.append(entry)


# Settings PgBouncer itself tracks and sets per client (its startup
# parameters), so they may show as set in the session.
TRACKED = "'client_encoding', 'DateStyle', 'TimeZone', 'standard_conforming_strings', " \
          "'application_name', 'IntervalStyle'"
PROBE = f"""
SELECT pg_backend_pid(), current_user::text, session_user::text,
       (SELECT count(*) FROM pg_prepared_statements),
       (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()),
       (SELECT count(*) FROM pg_listening_channels()),
       (SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'),
       (SELECT coalesce(string_agg(name || '=' || setting, ', ' ORDER BY name), '')
          FROM pg_settings WHERE source = 'session' AND name NOT IN ({TRACKED})),
       current_setting('search_path'), current_setting('statement_timeout')
"""


class Client:
    """One client connection through PgBouncer as one login role."""

    def __init__(self, login, cid, dbname="bouncer"):
        self.login, self.cid = login, cid
        self.conn = psycopg2.connect(BOUNCER.replace("dbname=bouncer", "dbname=" + dbname),
                                     user=login, connect_timeout=30)

    def tx(self, body, expect_error=None):
        """Run body(cursor) in one transaction after the probe; returns its
        result, or the SQLSTATE of an expected error (then rolled back)."""
        with self.conn.cursor() as cur:
            try:
                cur.execute(PROBE)
                self.check_probe(cur.fetchone())
                out = body(cur)
                self.conn.commit()
                if expect_error:
                    with lock:
                        errors.append(f"{self.login}#{self.cid}: expected SQLSTATE {expect_error}, got success")
                return out
            except psycopg2.Error as e:
                self.conn.rollback()
                if expect_error and e.pgcode == expect_error:
                    return e.pgcode
                raise

    def check_probe(self, row):
        pid, cur_user, sess_user, prepared, temp, listen, advisory, settings, path, stmt_to = row
        bad = []
        if cur_user != self.login or sess_user != self.login:
            bad.append(f"current_user {cur_user}, session_user {sess_user}")
        if prepared:
            bad.append(f"{prepared} prepared statements")
        if temp:
            bad.append(f"{temp} temporary tables")
        if listen:
            bad.append(f"{listen} LISTEN channels")
        if advisory:
            bad.append(f"{advisory} advisory locks")
        if settings:
            bad.append("session settings " + settings)
        if path != '"$user", public':
            bad.append("search_path " + path)
        if stmt_to != "0":
            bad.append("statement_timeout " + stmt_to)
        with lock:
            probes.append((self.login, pid, self.cid, bad))

    def close(self):
        self.conn.close()


def run_clients(specs):
    """specs: list of (login, function(client)); one thread each."""
    threads = []

    def main(login, fn, cid):
        try:
            c = Client(login, cid)
            try:
                fn(c)
            finally:
                c.close()
        except Exception:
            with lock:
                errors.append(f"{login}#{cid}: " + traceback.format_exc())

    for cid, (login, fn) in enumerate(specs):
        t = threading.Thread(target=main, args=(login, fn, cid), daemon=True)
        threads.append(t)
        t.start()
    for t in threads:
        t.join(timeout=120)
        if t.is_alive():
            with lock:
                errors.append(f"a client thread did not finish within 120 s")


# ---- the flows ---------------------------------------------------------------

HOOKS = ["bo_peaks", "bo_qc"]


def convention(title, hooks):
    return {
        "title": title, "description": "Deployed through PgBouncer.",
        "schema": {"id": title.lower().replace(" ", "-"), "version": "1", "definition": {"type": "object"}},
        "file_requirements": {"min_files": 1}, "source": None,
        "hooks": [{"name": h,
                   "feature": {"kind": "table", "cardinality": "many",
                               "columns": [{"name": "score", "json_type": "number", "required": True}]},
                   "runtime": {"image": "registry.example/" + h, "digest": "sha256:" + "a" * 64},
                   "source_ref": "git+https://example.org/" + h + "@1"} for h in hooks]}


def deployer(c):
    # two deployers race the same convention, then each deploys one of its own
    spec = json.dumps(convention("Bouncer Convention", HOOKS))
    out = c.tx(lambda cur: (cur.execute("SELECT hookreg_deploy_convention(%s)", (spec,)), cur.fetchone()[0])[1])
    record("deploy", out["slug"], c.login)
    own = json.dumps(convention(f"Bouncer Own {c.cid}", [f"bo_own_{c.cid}"]))
    out = c.tx(lambda cur: (cur.execute("SELECT hookreg_deploy_convention(%s)", (own,)), cur.fetchone()[0])[1])
    record("deploy", out["slug"], c.login)
    record("own_hook", f"bo_own_{c.cid}", c.login)


def releaser(c, team=None):
    rnd = random.Random(c.cid)
    for k in range(TRANSACTIONS):
        hook = rnd.choice(HOOKS)
        as_team = team is not None and k % 2 == 0
        actor = team if as_team else c.login

        def body(cur, hook=hook, k=k, as_team=as_team):
            if as_team:
                cur.execute(f"SET LOCAL ROLE {team}")
            cur.execute("SET LOCAL statement_timeout = '55s'")
            if rnd.random() < 0.6:
                digest = "sha256:" + hashlib.sha256(f"{c.login} {c.cid} {k}".encode()).hexdigest()
                cur.execute("SELECT release_id, version FROM hookreg_create_release(%s, %s, %s, %s, '{}', %s)",
                            (hook, "registry.example/" + hook, digest,
                             json.dumps({"client": c.cid, "k": k}), f"git+https://example.org/{hook}@{k}"))
                rid, version = cur.fetchone()
                return ("release", hook, str(rid), version, actor)
            cur.execute("SELECT max(version) FROM hookreg.hook_releases WHERE hook_name = %s", (hook,))
            top = cur.fetchone()[0]
            target = rnd.randint(1, top)
            cur.execute("SELECT live_release_id, previous_version, live_version FROM hookreg_set_live(%s, %s)",
                        (hook, target))
            rid, prev, live = cur.fetchone()
            return ("set_live", hook, str(rid), prev, live, actor)

        record(*c.tx(body))
        if k % 10 == 5:
            # a failing call in the middle: a version that does not exist
            c.tx(lambda cur: cur.execute("SELECT * FROM hookreg_set_live(%s, 100000)", (hook,)),
                 expect_error="P0002")


def runner(c):
    rnd = random.Random(100 + c.cid)
    for k in range(TRANSACTIONS):
        hook = rnd.choice(HOOKS)
        subject = f"{c.login} {c.cid} {k}"

        def body(cur, hook=hook, subject=subject, k=k):
            # a snapshot of the live releases, a run of one, its feature rows,
            # and its provenance, in one transaction
            cur.execute("SELECT hook_name, release_id, version FROM hookreg_resolve_live(%s)", (HOOKS,))
            snapshot = {h: (str(r), v) for h, r, v in cur.fetchall()}
            rid, version = snapshot[hook]
            cur.execute("SELECT hookreg_record_run(%s, 'passed', now() - interval '1 second', now(),"
                        " run_id => hookreg_run_id(%s))", (rid, subject))
            run_id = cur.fetchone()[0]
            cur.execute(f"INSERT INTO hookreg_features.{hook} (run_id, subject, score) VALUES (%s, %s, %s), (%s, %s, %s)",
                        (run_id, subject + " a", k, run_id, subject + " b", k + 0.5))
            cur.execute("SELECT release_id, version FROM hookreg_provenance(%s)", (run_id,))
            prov = cur.fetchone()
            if (str(prov[0]), prov[1]) != (rid, version):
                with lock:
                    errors.append(f"provenance of {run_id}: {prov}, resolved {rid} v{version}")
            return ("run", hook, str(run_id), rid, subject)

        record(*c.tx(body))
        if k % 10 == 3:
            # a role without hookreg_releaser may not release: 42501
            c.tx(lambda cur: cur.execute(
                "SELECT * FROM hookreg_create_release('bo_peaks', 'registry.example/x', %s, '{}', '{}', 'git+x')",
                ("sha256:" + "e" * 64,)), expect_error="42501")


class Race:
    """Racing opsrun_start of one identity by every ops client at once."""

    def __init__(self, parties, rounds):
        self.barrier = threading.Barrier(parties, timeout=60)
        self.rounds = rounds


def ops(c, race, ws, tenant):
    for r in range(race.rounds):
        identity = json.dumps({"race": r})
        race.barrier.wait()
        run_id, reused = c.tx(lambda cur: (cur.execute(
            "SELECT run_id, reused FROM opsrun_start(%s, %s, 'bouncer.job', %s)", (ws, tenant, identity)),
            cur.fetchone())[1])
        record("ops_start", r, run_id, reused, c.login)
        race.barrier.wait()
        claimed = c.tx(lambda cur: (cur.execute("SELECT opsrun_claim(%s)", (run_id,)), cur.fetchone()[0])[1])
        record("ops_claim", r, run_id, claimed, c.login)
        race.barrier.wait()
        if claimed:
            failures = json.dumps([
                {"code": "upstream.auth", "message": f"login failed: password={SECRET_WORDS[0]} token={SECRET_WORDS[1]}"},
                {"code": "upstream.http", "message": f"Authorization: Bearer {SECRET_WORDS[2]} via postgres://app:{SECRET_WORDS[3]}@db:5432/x"}])
            c.tx(lambda cur: cur.execute(
                "SELECT status FROM opsrun_complete(%s, 'partially_succeeded', '{\"total\": 2, \"failed\": 1}', %s)",
                (run_id, failures)))
            record("ops_complete", r, run_id, c.login)
            # completing again is refused: 55000
            c.tx(lambda cur: cur.execute("SELECT * FROM opsrun_complete(%s, 'succeeded')", (run_id,)),
                 expect_error="55000")
        race.barrier.wait()


def admin_reconcile(c, ws, tenant):
    # a queued run of a type whose queued runs go stale after one second
    run_id = c.tx(lambda cur: (cur.execute(
        "SELECT run_id FROM opsrun_start(%s, %s, 'bouncer.stale', '{\"n\": 1}')", (ws, tenant)),
        cur.fetchone()[0])[1])
    record("stale_start", run_id, c.login)
    time.sleep(1.5)
    stale = c.tx(lambda cur: (cur.execute(
        "SELECT coalesce(sum(stale_queued), 0) FROM opsrun_reconcile(now() + interval '1 second')"),
        cur.fetchone()[0])[1])
    record("reconciled", run_id, int(stale))


def leaky(c, step):
    """The control: leave session state behind on purpose (pool of size 1)."""
    if step == 0:
        c.tx(lambda cur: (cur.execute("SET work_mem = '7MB'"), cur.execute("PREPARE leak AS SELECT 1"),
                          cur.execute("LISTEN leak_channel")))
        return None
    with c.conn.cursor() as cur:
        cur.execute(PROBE)
        row = cur.fetchone()
        c.conn.commit()
        return row


# ---- the checks ----------------------------------------------------------------

def q(cur, sql, args=None):
    cur.execute(sql, args)
    return cur.fetchall()


def main():
    direct = psycopg2.connect(DIRECT, user="postgres")
    direct.autocommit = True
    cur = direct.cursor()
    ws = q(cur, "SELECT id FROM hookreg.workspaces WHERE name = 'bouncer'")[0][0]
    tenant = q(cur, "SELECT id FROM hookreg.tenants WHERE workspace_id = %s", (ws,))[0][0]

    # The control first: the probe does see what a client leaves behind.
    c1, c2 = Client("bo_leaky", 1000, "bouncer_leaky"), Client("bo_leaky", 1001, "bouncer_leaky")
    leaky(c1, 0)
    row = leaky(c2, 1)
    c1.close(); c2.close()
    with lock:
        probes.clear()   # the control's own pool is not counted below
    seen = row and row[3] == 1 and row[5] == 1 and "work_mem=" in row[7]
    say(seen, "control: the probe sees session state another client left on a shared server connection "
        "(SET, PREPARE, LISTEN)", row)

    t0 = time.time()
    run_clients([("bo_deployer", deployer), ("bo_deployer", deployer)])
    race = Race(RACERS, 6)
    specs = [("bo_rel_a", releaser)] * 3 + [("bo_rel_b", releaser)] * 3
    specs += [("bo_app", lambda c: releaser(c, team="bo_team"))] * 3
    specs += [("bo_runner_a", runner)] * 4 + [("bo_runner_b", runner)] * 4
    for login in OPS_ROLES:
        specs += [(login, lambda c: ops(c, race, ws, tenant))] * (RACERS // len(OPS_ROLES))
    specs.append(("bo_admin", lambda c: admin_reconcile(c, ws, tenant)))
    run_clients(specs)
    elapsed = time.time() - t0
    clients = 2 + len(specs)

    say(not errors, f"{clients} clients ran every flow through PgBouncer without an unexpected error "
        f"({len(log)} commits logged, {elapsed:.1f} s)", "\n".join(errors))

    # pooling really happened: each role's clients shared at most POOL_SIZE
    # server connections, fewer than the clients, and connections served
    # several clients
    backends = {pid for _, pid, _, _ in probes}
    per_login, shared = {}, {}
    for login, pid, cid, _ in probes:
        per_login.setdefault(login, [set(), set()])
        per_login[login][0].add(pid)
        per_login[login][1].add(cid)
        shared.setdefault(pid, set()).add(cid)
    most = max((len(v) for v in shared.values()), default=0)
    over = {l: (len(p), len(c)) for l, (p, c) in per_login.items() if len(p) > POOL_SIZE}
    say(not over and len(backends) < clients and most > 2,
        f"{clients} clients of {len(per_login)} roles shared {len(backends)} server connections "
        f"(at most {POOL_SIZE} per role, up to {most} clients on one) in {len(probes)} transactions",
        over)
    bad = [(l, pid, cid, b) for l, pid, cid, b in probes if b]
    say(not bad, f"no session state leaked into any of {len(probes)} transactions "
        "(role, prepared statements, temp tables, LISTEN, advisory locks, settings, search_path)",
        "\n".join(map(str, bad[:20])))

    # ---- invariants, read from the heap
    cur.execute("SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off")
    v = q(cur, """SELECT count(*) FROM (
                    SELECT hook_name FROM hookreg.hook_releases GROUP BY hook_name
                    HAVING min(version) <> 1 OR max(version) <> count(*) OR count(DISTINCT version) <> count(*)) s""")[0][0]
    n = q(cur, "SELECT count(*) FROM hookreg.hook_releases")[0][0]
    say(v == 0, f"versions are gap-free per hook ({n} releases)", v)
    v = q(cur, """WITH m AS (
                    SELECT hook_name, from_release_id, to_release_id,
                           lag(to_release_id) OVER w AS prev_to, row_number() OVER w AS n,
                           count(*) OVER (PARTITION BY hook_name) AS total
                      FROM hookreg.live_moves WINDOW w AS (PARTITION BY hook_name ORDER BY id))
                  SELECT (SELECT count(*) FROM m WHERE from_release_id IS DISTINCT FROM prev_to)
                       + (SELECT count(*) FROM hookreg.hook_catalog c
                            LEFT JOIN m ON m.hook_name = c.name AND m.n = m.total
                           WHERE c.live_release_id IS DISTINCT FROM m.to_release_id)""")[0][0]
    say(v == 0, "live_moves is one chain per hook whose last move is where the pointer points", v)
    v = q(cur, """SELECT count(*) FROM (
                    SELECT workspace_id, tenant_id, run_identity_hash FROM hookreg.operation_runs
                     WHERE status IN ('queued', 'running')
                     GROUP BY 1, 2, 3 HAVING count(*) > 1) s""")[0][0]
    say(v == 0, "at most one active run per identity and scope", v)
    v = sum(q(cur, f"""SELECT count(*) FROM hookreg_features.{h} f
                         WHERE NOT EXISTS (SELECT 1 FROM hookreg.hook_runs r WHERE r.id = f.run_id)""")[0][0]
            for h in HOOKS)
    say(v == 0, "every feature row's run exists", v)

    # ---- every logged commit is there, with the calling role as its actor
    missing = []
    kinds = {}
    for e in log:
        kinds[e[0]] = kinds.get(e[0], 0) + 1
        if e[0] == "release":
            _, hook, rid, version, actor = e
            ok = q(cur, "SELECT count(*) FROM hookreg.hook_releases r JOIN hookreg.live_moves m"
                        " ON m.to_release_id = r.id AND m.reason = 'release'"
                        " WHERE r.id = %s AND r.hook_name = %s AND r.version = %s"
                        " AND r.built_by = %s AND m.moved_by = %s", (rid, hook, version, actor, actor))[0][0] == 1
        elif e[0] == "set_live":
            _, hook, rid, prev, live, actor = e
            ok = prev == live or q(cur, "SELECT count(*) FROM hookreg.live_moves WHERE hook_name = %s"
                                        " AND to_release_id = %s AND reason = 'set_live' AND moved_by = %s",
                                   (hook, rid, actor))[0][0] >= 1
        elif e[0] == "run":
            _, hook, run_id, rid, subject = e
            ok = q(cur, f"SELECT count(*) FROM hookreg.hook_runs r JOIN hookreg_features.{hook} f ON f.run_id = r.id"
                        " WHERE r.id = %s AND r.release_id = %s AND f.subject LIKE %s",
                   (run_id, rid, subject + " _"))[0][0] == 2
        elif e[0] == "deploy":
            _, slug, actor = e
            ok = q(cur, "SELECT count(*) FROM hookreg.conventions WHERE slug = %s", (slug,))[0][0] == 1
        elif e[0] == "own_hook":
            _, hook, actor = e
            ok = q(cur, "SELECT count(*) FROM hookreg.hook_releases WHERE hook_name = %s AND built_by = %s",
                   (hook, actor))[0][0] == 1
        elif e[0] == "ops_start":
            ok = q(cur, "SELECT count(*) FROM hookreg.operation_runs WHERE id = %s", (e[2],))[0][0] == 1
        elif e[0] == "ops_claim":
            ok = True
        elif e[0] == "ops_complete":
            _, r, run_id, actor = e
            ok = q(cur, "SELECT count(*) FROM hookreg.operation_runs WHERE id = %s AND status = 'completed'"
                        " AND outcome = 'partially_succeeded'", (run_id,))[0][0] == 1
        elif e[0] == "stale_start":
            ok = q(cur, "SELECT initiator_name FROM hookreg.operation_runs WHERE id = %s", (e[1],))[0][0] == e[2]
        elif e[0] == "reconciled":
            _, run_id, stale = e
            ok = stale >= 1 and q(cur, "SELECT status || '/' || outcome || '/' || (failure_summary -> 0 ->> 'code')"
                                       " FROM hookreg.operation_runs WHERE id = %s",
                                  (run_id,))[0][0] == "completed/failed/run.stale_queued"
        else:
            ok = False
        if not ok:
            missing.append(e)
    say(not missing and log, f"every logged commit is there with the calling role as its actor "
        f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})", "\n".join(map(str, missing[:20])))
    teams = q(cur, "SELECT count(*) FROM hookreg.hook_releases WHERE built_by = 'bo_team'")[0][0]
    apps = q(cur, "SELECT count(*) FROM hookreg.hook_releases WHERE built_by = 'bo_app'")[0][0]
    say(teams > 0 and apps > 0, f"SET LOCAL ROLE is honoured and ends with its transaction "
        f"({teams} releases by bo_team, {apps} by bo_app from the same connections)")
    actors = {r[0] for r in q(cur, "SELECT built_by FROM hookreg.hook_releases UNION SELECT moved_by FROM hookreg.live_moves")}
    expected = {"bo_deployer", "bo_rel_a", "bo_rel_b", "bo_app", "bo_team"}
    say(actors == expected, f"recorded actors are exactly the calling roles: {', '.join(sorted(actors))}",
        f"expected {sorted(expected)}")

    # ---- the races: one run per identity, one claim, secrets never stored
    starts = [e for e in log if e[0] == "ops_start"]
    claims = [e for e in log if e[0] == "ops_claim"]
    per_round = {}
    for _, r, run_id, reused, _ in starts:
        per_round.setdefault(r, []).append((run_id, reused))
    one_run = all(len({x for x, _ in v}) == 1 and sum(not u for _, u in v) == 1 for v in per_round.values())
    say(one_run and len(per_round) == race.rounds and all(len(v) == RACERS for v in per_round.values()),
        f"racing opsrun_start: in each of {len(per_round)} rounds {RACERS} clients of 3 roles got one run, created once",
        per_round)
    wins = {}
    for _, r, run_id, claimed, _ in claims:
        wins[r] = wins.get(r, 0) + (1 if claimed else 0)
    say(len(wins) == race.rounds and all(w == 1 for w in wins.values()),
        f"opsrun_claim: exactly one of {RACERS} racing clients claims each run", wins)
    initiators = q(cur, "SELECT DISTINCT initiator_name FROM hookreg.operation_runs WHERE type = 'bouncer.job'")
    first = {e[2]: e[4] for e in starts if not e[3]}
    match = q(cur, "SELECT id, initiator_name FROM hookreg.operation_runs WHERE type = 'bouncer.job'")
    say(all(first.get(i) == name for i, name in match) and len(match) == race.rounds,
        f"each run's initiator is the role whose start created it ({', '.join(sorted(x[0] for x in initiators))})",
        match)
    stored = q(cur, "SELECT failure_summary::text FROM hookreg.operation_runs WHERE type = 'bouncer.job'")
    leaked = [s for (s,) in stored if any(w in s for w in SECRET_WORDS)]
    redacted = all("[redacted]" in s for (s,) in stored)
    say(not leaked and redacted and len(stored) == race.rounds,
        f"failure summaries completed through PgBouncer are stored sanitized ({len(stored)} runs, no secret)",
        "\n".join(leaked[:5]) or stored[:2])

    for line in results:
        print(line, flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception:
        for line in results:
            print(line)
        print("not ok - the PgBouncer flows ran to the end")
        print("\n".join("# " + l for l in traceback.format_exc().splitlines()))
        sys.exit(1)
