#!/bin/bash
# 16 writers at once, 20 crashes a transaction (bench/fleetgen, through
# fleet_db_add as index writes), ranges overlapping by a tenth, into a new
# database (the first opens create the tables; the months' partitions are
# made while the others write): on a real PostgreSQL server (pgserver.sh,
# deadlock_timeout 50ms) no transaction ends in a deadlock (the server log
# has none) and every crash is there once, by count, by key and in the
# rollups; the same on SQLite. On PostgreSQL the rollups are made by
# folds (fleet_db_fold): each writer's at its end, not waiting for
# another's, and a quarter of the writers' every 2 transactions, waiting
# (folds that run while the others write); then trends' fold: every
# crash is in every rollup once (signatures, sig_days, sig_hosts,
# sig_versions, sel_sigs and sel_days of hosts and executables, the
# hosts' count) and the queue is empty. Needs root for the server (SQLite
# only without it or without PostgreSQL).
. "$(dirname "$0")/common.sh"
fail() { echo "FAIL: $*"; [ -f "$T/pg.log" ] && grep -A3 "deadlock detected" "$T/pg.log" | head -n 8; exit 1; }
need_fleetgen
NOW=1795000000
SHARE=60 OVER=6 WRITERS=16
want=$((SHARE * WRITERS + OVER))

# $1 the database: 16 writers, then the checks (count with $2, a query runner)
run() {
        local pids=() k
        for k in $(seq 0 $((WRITERS - 1))); do
                fold=()
                [ $((k % 4)) = 1 ] && fold=(--fold 2)
                "$FLEETGEN" "$1" $((SHARE + OVER)) --first $((k * SHARE)) --now $NOW --days 75 --hosts 40 \
                        --signatures 30 --batch 20 "${fold[@]}" > "$T/gen.$k" 2>&1 &
                pids+=($!)
        done
        for k in $(seq 0 $((WRITERS - 1))); do
                wait "${pids[$k]}" || fail "writer $k: $(tail -n 3 "$T/gen.$k")"
        done
        local got
        # the rollups of what the last folds left (PostgreSQL)
        "$COREINSPECT" trends --db "$1" --now $NOW > "$T/trends" 2>&1 || fail "trends: $(cat "$T/trends")"
        got=$($2 "$1" "SELECT COUNT(*), COUNT(DISTINCT crash_key) FROM crashes")
        [ "$got" = "$want|$want" ] || fail "$got rows|keys, want $want"
        [ "$($2 "$1" "SELECT SUM(total) FROM signatures")" = $want ] || fail "signatures.total"
        [ "$($2 "$1" "SELECT SUM(n) FROM sig_days")" = $want ] || fail "sig_days.n"
        [ "$($2 "$1" "SELECT SUM(n) FROM sig_hosts")" = $want ] || fail "sig_hosts.n"
        [ "$($2 "$1" "SELECT SUM(n) FROM sig_versions")" = $want ] || fail "sig_versions.n"
        # every crash has a host and an executable: in two selections
        [ "$($2 "$1" "SELECT SUM(n) FROM sel_sigs")" = $((2 * want)) ] || fail "sel_sigs.n"
        [ "$($2 "$1" "SELECT SUM(n) FROM sel_days")" = $((2 * want)) ] || fail "sel_days.n"
        [ "$($2 "$1" "SELECT SUM(n) FROM sel_days d JOIN (SELECT DISTINCT host FROM crashes) h
                ON d.sel = $4")" = $want ] || fail "sel_days.n of the hosts"
        [ "$($2 "$1" "SELECT COUNT(*) FROM signatures s WHERE hosts <> (SELECT COUNT(*) FROM sig_hosts h
                WHERE h.signature = s.signature) OR total <> (SELECT COUNT(*) FROM crashes c
                WHERE c.signature = s.signature)")" = 0 ] || fail "signatures.hosts or total"
        [ "$($2 "$1" "SELECT COUNT(*) FROM sig_days d WHERE n <> (SELECT COUNT(*) FROM crashes c
                WHERE c.signature = d.signature AND c.time / 86400 = d.day)
                OR latest_key <> (SELECT crash_key FROM crashes c WHERE c.signature = d.signature
                AND c.time / 86400 = d.day ORDER BY time DESC, id DESC LIMIT 1)")" = 0 ] || fail "sig_days"
        [ -z "$3" ] || [ "$($2 "$1" "SELECT COUNT(*) FROM rollup_queue")" = 0 ] || fail "the queue is not empty"
        # each crash's rollups are its own (a writer never mixes two crashes)
        [ "$($2 "$1" "SELECT COUNT(*) FROM (SELECT signature FROM crashes GROUP BY signature
                HAVING COUNT(DISTINCT class) > 1) x")" = 0 ] || fail "a signature with two classes"
        cat "$T"/gen.* | awk '{n += $(NF - 3)} END {print n}' > "$T/again"
}
lite() {
        python3 -c "
import hashlib, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.create_function('coreinspect_sha256', 1, lambda s: hashlib.sha256(s.encode()).hexdigest())
print('|'.join(str(x) for x in c.execute(sys.argv[2]).fetchone()))" "$1" "$2"
}

run "$T/db.sqlite" lite "" "coreinspect_sha256('host|' || h.host)"
echo "sqlite: $want crashes from $WRITERS writers, none lost or twice"
rm -rf "$T"
T=$(mktemp -d) # the server's, fresh (removed on exit as the first was)

if [ "$(id -u)" != 0 ] || ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
        echo "ok: sqlite only (PostgreSQL needs root and the server)"
        exit 0
fi
. "$(dirname "$0")/pgserver.sh"
pg_start -c deadlock_timeout=50ms -c log_lock_waits=on
run "$(pg_db conc)" q queue "encode(sha256(convert_to('host|' || h.host, 'UTF8')), 'hex')"
! grep -q "deadlock detected" "$T/pg.log" || fail "deadlocks: $(grep -c "deadlock detected" "$T/pg.log")"
echo "ok: $want crashes from $WRITERS writers, 20 a transaction, on SQLite and PostgreSQL: none lost or twice, in every rollup once after the folds, no deadlock ($(cat "$T/again") transactions run again)"
