# Sourced first by every fleet test, with the test's own arguments:
#  - set -u; COREINSPECT=$1 (the binary under test), FIXTURES=$2 (the
#    fixtures; empty when not given);
#  - the tests' memory bound (../bound.sh), unless the test set
#    FLEET_UNBOUNDED=1 before (html.sh bounds coreinspect and chromium
#    each its own way);
#  - T, a fresh temporary directory, removed on exit however the test ends,
#    after the commands given to at_exit CMD (the last given runs first:
#    a test stops there what it started, pgserver.sh its server);
#  - fail MESSAGE: prints "FAIL: MESSAGE" (and, once pgserver.sh's pg_start
#    made $T/pg.log, the server log's last lines) and exits 1; a test that
#    wants more defines its own after this;
#  - DB, the database of a test that runs on either backend: the third
#    argument (a PostgreSQL URI: postgres.sh passes one) or $T/db.sqlite;
#  - q DB SQL: SQL's rows in DB (SQLite or PostgreSQL), one a line, fields
#    joined by '|'; SQL may be statements separated by ';' (committed);
#  - FLEETGEN, bench's fleetgen next to COREINSPECT; need_fleetgen fails
#    without it;
#  - segv_debug_dir: gives segv.core.zst's executable by build-id.
set -u
COREINSPECT=$1
FIXTURES=${2:-}
[ -n "${FLEET_UNBOUNDED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/../bound.sh"
T=$(mktemp -d)
fleet_at_exit=()
at_exit() { fleet_at_exit=("$1" "${fleet_at_exit[@]}"); }
fleet_cleanup() {
        local c
        for c in "${fleet_at_exit[@]}"; do eval "$c"; done
        rm -rf "$T"
}
trap fleet_cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$T/pg.log" ] && tail -n 5 "$T/pg.log"; exit 1; }
DB=${3:-$T/db.sqlite}
q() {
        case $1 in
        postgres*) psql "$1" -tAc "$2" ;;
        *) python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for s in sys.argv[2].split(';'):
    [print('|'.join(map(str, r))) for r in c.execute(s)]
c.commit()" "$1" "$2" ;;
        esac
}
FLEETGEN=$(dirname "$COREINSPECT")/../fleet/fleetgen
need_fleetgen() { [ -x "$FLEETGEN" ] || fail "no fleetgen next to $COREINSPECT"; }

# segv.core.zst's executable is not on this machine (it lay under /tmp where
# the fixtures were made): give it by build-id, from segv.zst's files/, so
# that the raw core and the bundle are recognised as one bug; also no system
# debug directory, for the same signatures whatever debug packages this
# machine has
segv_debug_dir() {
        local exe_id
        export COREINSPECT_SYSTEM_DEBUG_DIR=
        mkdir -p "$T/debug"
        tar --zstd -xf "$FIXTURES/segv.zst" -C "$T/debug" meta.json files
        exe_id=$(python3 -c "import json,sys; print([m['build_id'] for m in json.load(open(sys.argv[1]))['mapped_files'] if m['executable']][0])" "$T/debug/meta.json")
        mkdir -p "$T/debug/.build-id/${exe_id:0:2}"
        mv "$T/debug/files/$exe_id" "$T/debug/.build-id/${exe_id:0:2}/${exe_id:2}"
        export COREINSPECT_DEBUG_DIRS=$T/debug
}
