#!/bin/bash
# PostgreSQL's rollups are made by folds (fleet_db_fold, schema 7): they
# must be what SQLite's upserts of each crash make, table by table and row
# by row, for the same crashes written in the same order. 500 crashes of
# 12 signatures (fleetgen --messy: untimed ones, ties in time, crashes
# without a host or with host "", without an executable, a package version
# or a build-id), in a shuffled order, one or seven a transaction; folded
# after every transaction, every 3 (or 2)
# transactions, or once at the end by trends. trends as a role that may
# only read warns in one line and shows the rollups as they are; the queue
# is empty after a fold. Needs root; 77 without root or PostgreSQL.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pgserver.sh"
need_fleetgen
pg_start
NOW=1795000000
N=500
GEN=(--now $NOW --days 40 --hosts 9 --signatures 12 --messy --shuffle 7)
gen() { "$FLEETGEN" "$@" > "$T/gen" 2>&1 || fail "fleetgen $*: $(cat "$T/gen")"; }

# every rollup table (and the crashes), sorted by its key
TABLES=(
        "SELECT signature, class, exe, exe_name, signature_text, detail, crash_frame, total, hosts, first_seen,
         last_seen, latest_key, latest_bundle, first_version FROM signatures ORDER BY signature"
        "SELECT signature, day, n, first_seen, last_seen, latest_key FROM sig_days ORDER BY signature, day"
        "SELECT signature, host, n, last_seen FROM sig_hosts ORDER BY signature, host"
        "SELECT signature, version, n, first_seen, last_seen, build_id FROM sig_versions ORDER BY signature, version"
        "SELECT sel, signature, n, first_seen, last_seen, latest_key, first_version FROM sel_sigs ORDER BY sel, signature"
        "SELECT sel, day, signature, n FROM sel_days ORDER BY sel, day, signature"
        "SELECT crash_key, bundle, host, exe, time, class, detail, signature, version, build_id FROM crashes
         ORDER BY crash_key"
)
dump() {
        local k
        for k in "${!TABLES[@]}"; do
                echo "## ${TABLES[$k]%% FROM*}"
                case $1 in
                postgres*) q "$1" "${TABLES[$k]}" ;;
                *) python3 -c "
import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print('|'.join('' if v is None else str(v) for v in r))" "$1" "${TABLES[$k]}" ;;
                esac
        done > "$2"
}
same() { # $1 the reference dump, $2 a database, $3 what
        dump "$2" "$T/got"
        cmp -s "$1" "$T/got" || fail "$3: the rollups differ from SQLite's: $(diff "$1" "$T/got" | head -n 12)"
        [ "$(q "$2" "SELECT COUNT(*) FROM rollup_queue")" = 0 ] || fail "$3: the queue is not empty"
}

# one crash a transaction
gen "$T/one.sqlite" $N "${GEN[@]}" --batch 1
dump "$T/one.sqlite" "$T/one.ref"
[ "$(grep -c . "$T/one.ref")" -gt $((N + 100)) ] || fail "no rollups: $(head "$T/one.ref")"
DB=$(pg_db each)
gen "$DB" $N "${GEN[@]}" --batch 1 --fold 1
same "$T/one.ref" "$DB" "a fold after each crash"
# the data has what the rules are about
[ "$(q "$DB" "SELECT COUNT(*) FILTER (WHERE time IS NULL) > 10, COUNT(*) FILTER (WHERE host IS NULL) > 5,
        COUNT(*) FILTER (WHERE host = '') > 5, COUNT(*) FILTER (WHERE exe IS NULL) > 5,
        COUNT(*) FILTER (WHERE version IS NULL AND build_id IS NULL) > 3, COUNT(*) FILTER (WHERE build_id IS NULL
        AND version IS NOT NULL) > 3 FROM crashes")" = "t|t|t|t|t|t" ] || fail "fleetgen --messy: not messy enough"
[ "$(q "$DB" "SELECT COUNT(*) > 20 FROM (SELECT signature, time FROM crashes WHERE time > 0
        GROUP BY 1, 2 HAVING COUNT(*) > 1) x")" = t ] || fail "fleetgen --messy: no ties"
DB=$(pg_db every3)
gen "$DB" $N "${GEN[@]}" --batch 1 --fold 3
same "$T/one.ref" "$DB" "a fold after every 3 crashes"
# none until trends (first as a role that may only read: it warns, and shows the rollups as they are)
DB=$(pg_db atend)
gen "$DB" $N "${GEN[@]}" --batch 1 --no-fold
[ "$(q "$DB" "SELECT COUNT(*) FROM rollup_queue")" = $N ] || fail "--no-fold: the queue"
q "$DB" "CREATE ROLE reader LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader" > /dev/null ||
        fail "role"
rc=0; "$COREINSPECT" trends --db "${DB/user=ci/user=reader}" --now $NOW > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 0 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q "cannot fold the new crashes" "$T/err" ||
        fail "trends as a reader: exit $rc: $(cat "$T/err")"
grep -q "no crashes in" "$T/out" || fail "trends as a reader: $(cat "$T/out")"
"$COREINSPECT" trends --db "$DB" --now $NOW > "$T/out" 2> "$T/err" || fail "trends: $(cat "$T/err")"
[ ! -s "$T/err" ] || fail "trends printed: $(cat "$T/err")"
same "$T/one.ref" "$DB" "one fold at the end (trends)"

# seven a transaction (sorted by signature and key in it, as index does)
gen "$T/seven.sqlite" $N "${GEN[@]}" --batch 7
dump "$T/seven.sqlite" "$T/seven.ref"
DB=$(pg_db seven)
gen "$DB" $N "${GEN[@]}" --batch 7 --fold 2
same "$T/seven.ref" "$DB" "7 crashes a transaction, a fold after every 2"
echo "ok: the rollups of PostgreSQL's folds (after each crash, every 3 or 2 transactions, once at the end) are SQLite's, row by row, on $N messy crashes; a reader's trends warns once"
