#!/usr/bin/env bash
# scripts/demo-stop.sh: stop the demo server of scripts/demo.sh (its data stays
# in .demo/ until you remove that directory).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_pg_paths
D=${HR_DEMO_DIR:-$HR_ROOT/.demo}
if [ ! -f "$D/data/postmaster.pid" ]; then
    echo "no demo server is running"
    exit 0
fi
HR_BINDIR=$D/install$PG_BINDIR
hr_cluster_stop "$D/data"
echo "demo server stopped; rm -rf $D removes its data"
