#!/usr/bin/env bash
# scripts/demo.sh [--reset]: build hookreg, start a PostgreSQL server whose
# data directory is .demo/ inside this checkout (Unix socket only, pg_cron
# preloaded), and leave it running. Stop it with scripts/demo-stop.sh.
#
# The first run creates the database hookreg_demo with the extension and runs
# scripts/demo.sql in it. A later run keeps that database as it is, with
# everything you made in it: it only updates the extension to the version
# just built (ALTER EXTENSION hookreg UPDATE) and says so. --reset drops the
# database and starts over, running scripts/demo.sql again.
# HR_DEMO_DIR and HR_DEMO_PORT (default .demo and 5432) move it elsewhere.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HR_ROOT"

D=${HR_DEMO_DIR:-$HR_ROOT/.demo}
DB=hookreg_demo
PORT=${HR_DEMO_PORT:-5432}
reset=0
for arg in "$@"; do
    case "$arg" in
        --reset) reset=1 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) hr_die "unknown argument: $arg (scripts/demo.sh [--reset])" ;;
    esac
done

hr_ensure_packages
hr_pg_paths
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$HR_ROOT"; then
    hr_die "the postgres user cannot enter $HR_ROOT; move the checkout (e.g. under /srv or /tmp) or chmod a+x its parent directories"
fi
hr_build

# A server left running from an earlier demo is stopped with its own binaries.
if [ -f "$D/data/postmaster.pid" ]; then
    hr_log "stopping the running demo server"
    HR_BINDIR=$D/install$PG_BINDIR
    hr_cluster_stop "$D/data"
fi

hr_log "installing hookreg into $D/install"
hr_private_install "$D/install"
if [ ! -f "$D/data/PG_VERSION" ]; then
    hr_log "creating a cluster in $D/data"
    hr_cluster_init "$D/data" "$D/sock" "$PORT" "$DB"
fi
hr_cluster_start "$D/data" "$D/server.log"

export PGHOST=$D/sock PGPORT=$PORT
hr_psql postgres -c "SELECT 1" >/dev/null
exists=$(hr_psql postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")
if [ "$exists" = 1 ] && [ "$reset" = 1 ]; then
    hr_log "--reset: dropping database $DB"
    hr_psql postgres -c "DROP DATABASE $DB WITH (FORCE)" >/dev/null
    exists=
fi
if [ "$exists" = 1 ]; then
    # Never destroy what a user made: keep the database, update the extension.
    hr_psql "$DB" -c "CREATE EXTENSION IF NOT EXISTS pg_cron; CREATE EXTENSION IF NOT EXISTS hookreg; ALTER EXTENSION hookreg UPDATE;" >/dev/null
    what="kept the existing database $DB as it was (hookreg $(hr_psql "$DB" -tAc "SELECT extversion FROM pg_extension WHERE extname = 'hookreg'")); scripts/demo.sql was not run again. Start over with: scripts/demo.sh --reset"
else
    hr_psql postgres -c "CREATE DATABASE $DB" >/dev/null
    hr_psql "$DB" -c "CREATE EXTENSION IF NOT EXISTS pg_cron; CREATE EXTENSION hookreg;" >/dev/null
    hr_log "running scripts/demo.sql"
    "$PG_BINDIR/psql" -X -U postgres -d "$DB" -v ON_ERROR_STOP=1 -e -f scripts/demo.sql
    if [ "$reset" = 1 ]; then what="reset: created database $DB afresh and ran scripts/demo.sql"
    else what="created database $DB and ran scripts/demo.sql"; fi
fi
hr_log "$what"

cat <<MSG

The demo server is running (data: $D/data, log: $D/server.log).
Demo database: $what.
Connect with:

    $PG_BINDIR/psql -h $D/sock -p $PORT -U postgres $DB

Stop it with: scripts/demo-stop.sh
MSG
