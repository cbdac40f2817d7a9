#!/usr/bin/env python3
"""Builds test/corpus/wild/harmless.jsonl: real harmless error messages.

Sources (see test/corpus/README.md):
  * the message catalogs Debian 12 ships as .mo files under /usr/share/locale:
    PostgreSQL 15's own (postgres, libpq, psql, plpgsql, pg_dump, ...) and
    other system catalogs (coreutils, glib, libc, apt, git, krb5, PAM, ...).
    The English msgids are taken, and a share of the German, French and
    Japanese translations; printf placeholders are filled with realistic
    values (identifiers, paths, numbers, digests, UUIDs, commit ids, URLs,
    host names, IP addresses) from a seeded generator.
  * error formats of HTTP clients, Laravel, Python, Node, Kubernetes and
    Microsoft Graph, written here as templates (formats/*.txt) and filled
    the same way.

Run from the repository root:  python3 test/corpus/build/harmless.py
The output depends only on the catalogs and the seed, so the same Debian
packages give the same file.
"""
import gettext
import glob
import json
import os
import random
import re
import sys

SEED = 20261201
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'wild', 'harmless.jsonl')

PG_CATALOGS = ['postgres-15', 'libpq5-15', 'psql-15', 'plpgsql-15', 'pg_dump-15',
               'pg_basebackup-15', 'initdb-15', 'pg_ctl-15', 'pgscripts-15',
               'pg_upgrade-15', 'pg_rewind-15', 'pg_amcheck-15']
SYSTEM_CATALOGS = ['coreutils', 'glib20', 'libc', 'apt', 'libapt-pkg6.0', 'git',
                   'mit-krb5', 'Linux-PAM', 'gnupg2', 'dpkg', 'make', 'grep',
                   'findutils', 'diffutils', 'gnutls30', 'bash', 'tar', 'wget',
                   'sudo', 'util-linux', 'e2fsprogs', 'procps-ng', 'shadow']
TRANSLATED = ['de', 'fr', 'ja']

rnd = random.Random(SEED)


def hexs(n, upper=False):
    s = ''.join(rnd.choice('0123456789abcdef') for _ in range(n))
    return s.upper() if upper else s


def uuid():
    h = hexs(32)
    return '%s-%s-%s-%s-%s' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


WORDS = ('orders customers invoice payment shipment tenant workspace account '
         'assignment schedule report export import sync batch queue worker '
         'release deploy hook feature metric event session cache index '
         'partition replica primary standby archive backup restore').split()
IDENTS = ['public.orders', 'hookreg.operation_runs', 'user_id', 'created_at',
          'orders_pkey', 'idx_events_tenant_created', 'pg_catalog.pg_class',
          'app_reader', 'billing', 'analytics.daily_rollup', 'customer_email_idx',
          'ix_assignments_due_date', 'fk_invoice_customer', 'tmp_import_2024',
          'InvoiceLineItem', 'SyncAssignmentsJob', 'getUserProfile',
          'MAX_RETRY_COUNT', 'accessTokenLifetime', 'refreshTokenRotation',
          'PasswordResetController', 'token_type', 'secret_rotation_days',
          'HttpClientHandler', 'ConnectionPoolTimeoutException']
CAMEL = ['InvalidAuthenticationToken', 'ResourceNotFound', 'ErrorItemNotFound',
         'AuthorizationRequestDenied', 'Request_ResourceNotFound', 'TooManyRequests',
         'ServiceUnavailable', 'ActivityLimitReached', 'InvalidRequest',
         'ConflictingObjects', 'QuotaExceeded', 'ImagePullBackOff', 'CrashLoopBackOff',
         'AccessDenied', 'ExpiredToken', 'ThrottlingException', 'ValidationException']
PATHS = ['/var/lib/postgresql/15/main/base/16384/2619', '/etc/postgresql/15/main/pg_hba.conf',
         '/tmp/.s.PGSQL.5432', '/home/deploy/app/releases/20240115093000/config/database.yml',
         '/usr/lib/postgresql/15/lib/hookreg.so', 'C:\\ProgramData\\App\\logs\\sync.log',
         '/srv/data/exports/2024/01/orders.csv', 'pg_wal/000000010000000A000000FE',
         '/opt/app/node_modules/axios/lib/core/AxiosError.js', './src/main/java/com/acme/SyncJob.java',
         '/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'base/16384/16402.1',
         '/usr/share/zoneinfo/Europe/Berlin', '~/.config/app/settings.json']
HOSTS = ['db-primary.internal', 'replica-2.eu-west-1.rds.amazonaws.com', 'localhost',
         '10.0.3.17', '192.168.1.20', '2001:db8::1', 'graph.microsoft.com',
         'api.github.com', 'login.microsoftonline.com', 'pg.example.org', 'redis-master']
URLS = ['https://graph.microsoft.com/v1.0/users?$top=100&$select=id,displayName',
        'https://api.example.com/v2/orders/48213/items',
        'https://login.microsoftonline.com/common/oauth2/v2.0/token',
        'http://localhost:8080/healthz', 'https://github.com/acme/app/actions/runs/7459123801',
        'https://registry.npmjs.org/left-pad', 'https://pypi.org/simple/requests/',
        'https://hooks.example.net/notify?attempt=3', 'https://status.example.com/incidents/1842',
        'https://storage.example.com/exports/2024-01-15/orders.csv.gz',
        'https://docs.example.org/errors/ResourceNotFound#remediation']
STRERR = ['No such file or directory', 'Permission denied', 'Connection refused',
          'No space left on device', 'Connection timed out', 'Resource temporarily unavailable',
          'Too many open files', 'Input/output error', 'Broken pipe', 'Address already in use']
REASONS = ['out of memory', 'server closed the connection unexpectedly', 'SSL SYSCALL error: EOF detected',
           'it is too short', 'it is based on a dictionary word', 'timeout expired',
           'could not connect to server', 'invalid response from server', 'unexpected EOF']
TYPES = ['integer', 'text', 'jsonb', 'timestamp with time zone', 'bigint', 'numeric(12,2)',
         'uuid', 'boolean', 'bytea', 'character varying(64)']
FUNCS = ['opsrun_start(text,jsonb)', 'now()', 'jsonb_build_object(VARIADIC "any")',
         'sync_assignments(bigint)', 'lower(text)', 'pg_sleep(double precision)']


def value_for(before):
    b = before[-40:].lower()
    if re.search(r'(file|directory|path|archive|socket|log)\W*$', b):
        return rnd.choice(PATHS)
    if re.search(r'(role|user|owner)\W*$', b):
        return rnd.choice(['app_reader', 'postgres', 'deploy', 'alice', 'svc_sync', 'hookreg_runner'])
    if re.search(r'(relation|table|column|index|schema|constraint|sequence|view|database)\W*$', b):
        return rnd.choice(IDENTS[:13])
    if re.search(r'function\W*$', b):
        return rnd.choice(FUNCS)
    if re.search(r'type\W*$', b):
        return rnd.choice(TYPES)
    if re.search(r'(host|server|address)\W*$', b):
        return rnd.choice(HOSTS)
    if re.search(r'(url|uri)\W*$', b):
        return rnd.choice(URLS)
    pick = rnd.random()
    if pick < 0.30:
        return rnd.choice(WORDS)
    if pick < 0.45:
        return rnd.choice(IDENTS)
    if pick < 0.52:
        return rnd.choice(PATHS)
    if pick < 0.58:
        return str(rnd.randint(0, 99999))
    if pick < 0.63:
        return uuid()
    if pick < 0.67:
        return hexs(40)                     # a git commit id
    if pick < 0.70:
        return 'sha256:' + hexs(64)         # an image or file digest
    if pick < 0.74:
        return rnd.choice(URLS)
    if pick < 0.78:
        return rnd.choice(HOSTS)
    if pick < 0.82:
        return rnd.choice(CAMEL)
    if pick < 0.86:
        return rnd.choice(TYPES)
    if pick < 0.90:
        return '%04d-%02d-%02d %02d:%02d:%02d+00' % (rnd.randint(2019, 2026), rnd.randint(1, 12),
                                                     rnd.randint(1, 28), rnd.randint(0, 23),
                                                     rnd.randint(0, 59), rnd.randint(0, 59))
    if pick < 0.94:
        return hexs(32)                     # an MD5 or trace id
    return rnd.choice(STRERR)


PLACEHOLDER = re.compile(r'%(?:\d+\$)?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?'
                         r'(?:hh|h|ll|l|L|q|j|z|Z|t|I64|I32|I)?([diouxXeEfFgGaAcspmS%])|%<PRI[a-zA-Z0-9]+>')


def fill(msgid):
    out = []
    pos = 0
    for m in PLACEHOLDER.finditer(msgid):
        out.append(msgid[pos:m.start()])
        conv = m.group(1)
        before = ''.join(out)
        if conv == '%':
            out.append('%')
        elif conv in 'diu' or conv is None:
            out.append(str(rnd.choice([0, 1, 3, 8, 42, 512, 1024, 16384, 65536, 2147483647, rnd.randint(2, 99999)])))
        elif conv in 'oxX':
            out.append(format(rnd.randint(0, 0xFFFFFFF), 'X' if conv == 'X' else 'x'))
        elif conv in 'eEfFgGaA':
            out.append('%.3f' % (rnd.random() * 1000))
        elif conv == 'c':
            out.append(rnd.choice('abxyz;,'))
        elif conv == 'm':
            out.append(rnd.choice(STRERR))
        elif conv == 'p':
            out.append(('' if before.endswith('0x') else '0x') + '%012x' % rnd.randint(0, 2 ** 47))
        else:
            nxt = msgid[m.end():m.end() + 1]
            prev = before[-1:]
            rest = msgid[m.end():].strip()
            if before.endswith(': ') and rest in ('', '.', '\\n', ')'):
                # "could not X: %s": the reason, as PostgreSQL and libc word them
                out.append(rnd.choice(STRERR + REASONS))
            elif re.search(r'key:\s*$', before, re.I):
                out.append(rnd.choice(['RANGE (created_at)', 'LIST (region)', 'HASH (tenant_id)']))
            elif (prev and (prev.isalnum() or prev in './_-=@:')) or (nxt and (nxt.isalnum() or nxt in './_-=@%')):
                # glued to other text (a qualified name, a path, a suffix): a word
                out.append(rnd.choice(WORDS + ['public', 'main', '15', 'tmp', 'v2', 'app']))
            else:
                out.append(value_for(before))
        pos = m.end()
    out.append(msgid[pos:])
    return ''.join(out)


def catalog(lang, name):
    path = '/usr/share/locale/%s/LC_MESSAGES/%s.mo' % (lang, name)
    if not os.path.exists(path):
        return None
    with open(path, 'rb') as f:
        return gettext.GNUTranslations(f)._catalog


def usable(text):
    t = ' '.join(text.split())
    # a message, not a menu item, a single word or a format string only
    return len(t) >= 12 and ' ' in t and not t.startswith('#')


def msgids(name):
    ids = {}
    for lang in ['de', 'fr', 'es', 'it', 'ja', 'ru', 'sv', 'pl', 'pt_BR', 'uk', 'cs', 'tr', 'zh_CN', 'ko']:
        cat = catalog(lang, name)
        if cat is None:
            continue
        for k, v in cat.items():
            if isinstance(k, tuple):
                k = k[0]
            if k and usable(k):
                ids.setdefault(k, None)
        break
    return sorted(ids)


def translations(lang, name):
    cat = catalog(lang, name)
    if cat is None:
        return []
    return sorted(v for k, v in cat.items() if k and isinstance(k, str) and v and usable(v) and v != k)


def main():
    rows = []
    seen = set()

    def add(source, kind, text):
        msg = fill(text)
        # an e-mail address (a bug-report address) is personal data by the rules
        if msg in seen or re.search(r'[\w.+-]@[\w-]+\.[\w.]+', msg):
            return
        seen.add(msg)
        rows.append({'source': source, 'kind': kind, 'message': msg})

    for name in PG_CATALOGS:
        for m in msgids(name):
            add(name, 'postgresql', m)
    for name in SYSTEM_CATALOGS:
        ids = msgids(name)
        rnd.shuffle(ids)
        for m in ids[:300]:
            add(name, 'system', m)
    for lang in TRANSLATED:
        for name in ['postgres-15', 'libpq5-15', 'psql-15']:
            tr = translations(lang, name)
            rnd.shuffle(tr)
            for m in tr[:250]:
                add('%s.%s' % (name, lang), 'translated', m)
    for path in sorted(glob.glob(os.path.join(HERE, 'formats', '*.txt'))):
        family = os.path.basename(path)[:-4]
        with open(path, encoding='utf-8') as f:
            templates = [l.rstrip('\n') for l in f if l.strip() and not l.startswith('#')]
        for t in templates:
            for _ in range(6):
                add('formats/' + family, 'library', t)

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + '\n')
    print('%d harmless messages written to %s' % (len(rows), os.path.relpath(OUT)), file=sys.stderr)


if __name__ == '__main__':
    main()
