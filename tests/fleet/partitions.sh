#!/bin/bash
# Schema 4 on a real PostgreSQL server (pgserver.sh): crashes partitioned by
# month. A database of schema 3 (schema3.sql: what coreinspect at schema 3
# wrote) is migrated with its rows, ids, keys and rollups, each row in its
# month's partition; expire --older-than drops the partitions of the months
# entirely before the cut (gone from pg_inherits and pg_class) and deletes
# the older rows of the boundary month only, the rollups kept; writing into
# an up-to-date database whose months have their partitions runs no DDL and
# takes no lock but the fold's (log_statement = all) and looks up no
# partition, trends reads in one read-only transaction without JIT, the
# first crash of a new month creates its partition once, a transaction of
# crashes over four new months runs again once (all four made before it),
# and a crash of a month expire dropped makes its partition again. Needs
# root; 77 without root or PostgreSQL.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pgserver.sh"
need_fleetgen
pg_start
parts() {
        q "$1" "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = CAST('crashes' AS regclass) ORDER BY 1" | tr '\n' ' '
}
# the partition each row belongs in, by its time
MONTH="CASE WHEN time > 0 THEN 'crashes_y' || to_char(to_timestamp(time) AT TIME ZONE 'UTC', 'YYYY\"m\"MM')
        ELSE 'crashes_untimed' END"
ROWS="SELECT id, crash_key, bundle_key, bundle, host, exe, exe_name, pid, time, signal, class, detail, confidence,
      crash_frame, signature, signature_text, indexed_at, build_id, package, version FROM crashes ORDER BY id"

# schema 3 -> 4: the same database before (never opened by this
# coreinspect) and after
OLD=$(pg_db old)
MIG=$(pg_db mig)
psql "$OLD" -q -f "$(dirname "$0")/schema3.sql" > /dev/null || fail "load schema3.sql"
psql "$MIG" -q -f "$(dirname "$0")/schema3.sql" > /dev/null || fail "load schema3.sql"
[ "$(q "$MIG" "SELECT value FROM coreinspect_meta WHERE key = 'schema'")" = 3 ] || fail "schema3.sql is not schema 3"
want_parts="$(q "$OLD" "SELECT DISTINCT $MONTH FROM crashes UNION SELECT 'crashes_y10000' ORDER BY 1" | tr '\n' ' ')"
n_old=$(q "$OLD" "SELECT COUNT(*) FROM crashes")
mkdir "$T/store"
for f in abort inline lib segv segv.core threads; do cp "$FIXTURES/$f.zst" "$T/store/"; done
export COREINSPECT_SYSTEM_DEBUG_DIR=
"$COREINSPECT" index --db "$MIG" "$T/store" > "$T/out" 2> "$T/err" || fail "index (migration): $(cat "$T/err")"
# the fixtures' crashes are there already: by their keys, kept
grep -q "^indexed 0 new crashes, 6 already in the index" "$T/out" || fail "after the migration: $(cat "$T/out")"
[ "$(q "$MIG" "SELECT value FROM coreinspect_meta WHERE key = 'schema'")" = 8 ] || fail "schema not 8"
[ "$(q "$MIG" "SELECT relkind FROM pg_class WHERE relname = 'crashes'")" = p ] || fail "crashes is not partitioned"
q "$OLD" "$ROWS" > "$T/old.rows"
q "$MIG" "$ROWS" > "$T/mig.rows"
[ "$(wc -l < "$T/mig.rows")" = "$n_old" ] && cmp -s "$T/old.rows" "$T/mig.rows" ||
        fail "rows changed: $(diff "$T/old.rows" "$T/mig.rows" | head -n 5)"
# (schema 5 adds sig_versions.build_id: the columns schema 3 had)
for t in signatures sig_days sig_hosts "sig_versions:signature, version, n, first_seen, last_seen"; do
        cols=${t#*:}; [ "$cols" = "$t" ] && cols='*'; t=${t%%:*}
        [ "$(q "$OLD" "SELECT $cols FROM $t ORDER BY 1, 2")" = "$(q "$MIG" "SELECT $cols FROM $t ORDER BY 1, 2")" ] ||
                fail "rollup $t changed"
done
[ "$(parts "$MIG")" = "$want_parts" ] || fail "partitions: $(parts "$MIG"), want $want_parts"
[ "$(q "$MIG" "SELECT COUNT(*) FROM crashes WHERE CAST(tableoid AS regclass)::text <> $MONTH")" = 0 ] ||
        fail "rows in the wrong partition"
[ "$(q "$MIG" "SELECT COUNT(*) FROM pg_class WHERE relname = 'crashes_v3'")" = 0 ] || fail "the old table is left"
# new rows go on with the ids
"$FLEETGEN" "$MIG" 5 --now 1790000000 --days 3 --first 7000000 > "$T/gen" 2>&1 || fail "fleetgen: $(cat "$T/gen")"
[ "$(q "$MIG" "SELECT COUNT(*) FROM crashes WHERE id > $n_old")" = 5 ] || fail "ids after the migration"
"$COREINSPECT" trends --db "$MIG" --json --now 1790000000 > /dev/null || fail "trends after the migration"

# expire: 4+ months of rows, 90 days kept
NOW=1795000000 # 2026-11-18
CUT=$((NOW - 90 * 86400))
EXP=$(pg_db exp)
"$FLEETGEN" "$EXP" 400 --days 160 --now $NOW --hosts 30 --signatures 40 > "$T/gen" 2>&1 || fail "fleetgen: $(cat "$T/gen")"
keep=$(q "$EXP" "SELECT COUNT(*) FROM crashes WHERE time >= $CUT")
total=$(q "$EXP" "SELECT SUM(total) FROM signatures")
# the months that end before the cut go whole; the cut's month keeps its newer rows
gone=$(q "$EXP" "SELECT DISTINCT $MONTH FROM crashes WHERE date_trunc('month', to_timestamp(time) AT TIME ZONE 'UTC')
        + interval '1 month' <= to_timestamp($CUT) AT TIME ZONE 'UTC' ORDER BY 1" | tr '\n' ' ')
gone_rows=$(q "$EXP" "SELECT COUNT(*) FROM crashes WHERE date_trunc('month', to_timestamp(time) AT TIME ZONE 'UTC')
        + interval '1 month' <= to_timestamp($CUT) AT TIME ZONE 'UTC'")
boundary=$(q "$EXP" "SELECT $MONTH FROM crashes WHERE time = (SELECT MIN(time) FROM crashes WHERE time >= $CUT)")
[ "$(echo "$gone" | wc -w)" -ge 2 ] && [ "$(parts "$EXP" | wc -w)" -ge 6 ] || fail "fleetgen's months: $(parts "$EXP")"
"$COREINSPECT" expire --db "$EXP" --older-than 90d --now $NOW > "$T/out" 2> "$T/err" || fail "expire: $(cat "$T/err")"
grep -q "^dropped $(echo "$gone" | wc -w) month partitions of crashes ($gone_rows crashes)" "$T/out" ||
        fail "expire: $(cat "$T/out"), want $gone ($gone_rows crashes)"
grep -q "^expired $((400 - keep)) crashes, " "$T/out" || fail "expire: $(cat "$T/out"), want $((400 - keep))"
[ "$(q "$EXP" "SELECT COUNT(*), MIN(time) >= $CUT FROM crashes")" = "$keep|t" ] || fail "rows left"
for p in $gone; do
        [ "$(q "$EXP" "SELECT COUNT(*) FROM pg_class WHERE relname = '$p'")" = 0 ] || fail "$p is left"
        ! parts "$EXP" | grep -qw "$p" || fail "$p is still a partition"
done
parts "$EXP" | grep -qw "$boundary" || fail "the boundary month $boundary went"
[ "$(q "$EXP" "SELECT COUNT(*) FROM $boundary WHERE time < $CUT")" = 0 ] || fail "old rows in $boundary"
[ "$(q "$EXP" "SELECT SUM(total) FROM signatures")" = "$total" ] || fail "the rollups went with the rows"
"$COREINSPECT" expire --db "$EXP" --older-than 90d --now $NOW > "$T/out" 2>&1 || fail "expire again"
grep -q "^dropped 0 month partitions of crashes (0 crashes)" "$T/out" && grep -q "^expired 0 crashes" "$T/out" ||
        fail "expire again: $(cat "$T/out")"

# writing into months that have their partitions: no DDL, no lock
q "$EXP" "ALTER DATABASE exp SET log_statement = 'all'" > /dev/null || fail "log_statement"
: > "$T/pg.log"
"$FLEETGEN" "$EXP" 50 --days 10 --now $NOW --first 100000 > "$T/gen" 2>&1 || fail "fleetgen: $(cat "$T/gen")"
"$COREINSPECT" trends --db "$EXP" --now $NOW > /dev/null || fail "trends"
grep -q "INSERT INTO crashes" "$T/pg.log" || fail "statements not logged: $(tail -n 3 "$T/pg.log")"
# (but the fold's lock: fleetgen and trends fold the rollups, docs/fleet.md)
! grep -Ei "(statement|execute [^:]*): .*(CREATE|ALTER|DROP|advisory|LOCK)" "$T/pg.log" |
        grep -Ev "statement: BEGIN ISOLATION LEVEL REPEATABLE READ; LOCK TABLE signatures IN EXCLUSIVE MODE( NOWAIT)?$" ||
        fail "DDL or a lock when the months have their partitions"
grep -Eq "statement: BEGIN ISOLATION LEVEL REPEATABLE READ; LOCK TABLE signatures IN EXCLUSIVE MODE NOWAIT$" "$T/pg.log" ||
        fail "fleetgen did not fold"
# trends reads one snapshot, and no plan is JIT-compiled (docs/fleet.md, "Rollups")
grep -Eq "statement: BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off$" "$T/pg.log" ||
        fail "trends: not one read-only transaction without JIT"
# a crash's insert goes with its savepoint in one pipeline: no partition
# lookup before it
! grep -q "pg_inherits" "$T/pg.log" || fail "the partitions were looked up though every month had one"
# one crash, one connection: two round trips, the connection's and one
# pipeline (the schema version's check, BEGIN, the savepoint, the insert,
# COMMIT); a round trip is a send the client then waits on (strace)
rtrips() { awk '/^[0-9]+ +(sendto|sendmsg)\(/ { s = 1 } /^[0-9]+ +(recvfrom|recvmsg)\(/ { if (s) n++; s = 0 } END { print n + 0 }' "$1"; }
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=sendto,sendmsg,recvfrom,recvmsg \
        -o "$T/strace" "$FLEETGEN" "$EXP" 1 --days 1 --now $NOW --first 150000 --per-open --no-fold > "$T/gen" 2>&1 ||
        fail "fleetgen under strace: $(cat "$T/gen")"
[ "$(rtrips "$T/strace")" = 2 ] || fail "one crash took $(rtrips "$T/strace") round trips, not 2: $(grep -c . "$T/strace") calls"
grep -q "execute <unnamed>: SELECT CAST(CASE WHEN max(value) = '8'" "$T/pg.log" || fail "no version check"
# the first crashes of a new month (2027-01) make its partition, once
: > "$T/pg.log"
"$FLEETGEN" "$EXP" 40 --days 3 --now 1800000000 --first 200000 > "$T/gen" 2>&1 || fail "fleetgen: $(cat "$T/gen")"
[ "$(grep -c "statement: .*CREATE TABLE crashes_y2027m01 " "$T/pg.log")" = 1 ] || fail "partition 2027-01 made $(grep -c "CREATE TABLE crashes_y2027m01 " "$T/pg.log") times"
[ "$(q "$EXP" "SELECT COUNT(*) FROM crashes_y2027m01")" = 40 ] || fail "rows of 2027-01"
# one transaction of crashes over four new months (2027-02 to 2027-05)
# runs again once: its first crash without a partition ends it, and the
# next begin makes every missing month of the batch
: > "$T/pg.log"
"$FLEETGEN" "$EXP" 60 --days 90 --now 1810000000 --first 300000 --batch 60 > "$T/gen" 2>&1 || fail "fleetgen: $(cat "$T/gen")"
grep -q ", 1 transactions run again" "$T/gen" || fail "four new months in one transaction: $(cat "$T/gen")"
for m in 02 03 04 05; do
        [ "$(grep -c "statement: .*CREATE TABLE crashes_y2027m$m " "$T/pg.log")" = 1 ] || fail "partition 2027-$m not made once"
done
[ "$(q "$EXP" "SELECT COUNT(*), COUNT(*) FILTER (WHERE CAST(tableoid AS regclass)::text = $MONTH) FROM crashes
        WHERE time >= 1810000000 - 91 * 86400")" = "60|60" ] || fail "the rows of 2027-02 to 05 in their months"
# a crash of a month that expire dropped: the month's partition is made again
gone1=${gone%% *}
mid=$(date -u -d "${gone1:9:4}-${gone1:14:2}-15" +%s) || fail "the month of $gone1"
"$FLEETGEN" "$EXP" 5 --days 1 --now "$mid" --first 400000 > "$T/gen" 2>&1 || fail "fleetgen into $gone1: $(cat "$T/gen")"
parts "$EXP" | grep -qw "$gone1" || fail "$gone1 not made again"
[ "$(q "$EXP" "SELECT COUNT(*) FROM $gone1")" = 5 ] || fail "rows of $gone1: $(q "$EXP" "SELECT COUNT(*) FROM $gone1")"
q "$EXP" "ALTER DATABASE exp RESET log_statement" > /dev/null
echo "ok: schema 3 -> 4 kept $n_old rows, ids, keys and rollups in $(parts "$MIG" | wc -w) partitions; expire dropped $gone($gone_rows crashes) and kept $keep; no DDL when the months are there; a new month's partition made once, four new months in one batch made at its one run again, an expired month made again"
