#!/usr/bin/env bash
# scripts/demo.sh: build hookreg, start a throwaway PostgreSQL server whose
# data directory is .demo/ inside this checkout (Unix socket only, pg_cron
# preloaded), create the extension, run scripts/demo.sql, print how to
# connect, and leave the server running. Stop it with scripts/demo-stop.sh.
# Running it again rebuilds, restarts and re-creates the extension.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HR_ROOT"

D=$HR_ROOT/.demo
DB=hookreg_demo
PORT=5432

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
if ! hr_psql postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    hr_psql postgres -c "CREATE DATABASE $DB"
fi
hr_psql "$DB" -c "DROP EXTENSION IF EXISTS hookreg CASCADE" 2>/dev/null
hr_psql "$DB" -c "CREATE EXTENSION IF NOT EXISTS pg_cron; CREATE EXTENSION hookreg;"

hr_log "running scripts/demo.sql"
"$PG_BINDIR/psql" -X -U postgres -d "$DB" -v ON_ERROR_STOP=1 -e -f scripts/demo.sql

cat <<MSG

The demo server is running (data: $D/data, log: $D/server.log). Connect with:

    $PG_BINDIR/psql -h $D/sock -p $PORT -U postgres $DB

Stop it with: scripts/demo-stop.sh
MSG
