#!/bin/bash
# The fleet behind a connection pooler (docs/fleet.md, "Many hosts: a
# pooler"): a real PostgreSQL server and a real pgbouncer in front of it
# (pgserver.sh; 4 server connections a database), in session and in
# transaction pool mode. Through the pooler, index of bundles and trends
# answer as directly; 16 writers at once, each crash its own connection
# and transaction and a fold after it (fleetgen --per-open), lose and
# duplicate nothing, and after trends every crash is in every rollup
# once and the queue is empty: the fold holds no lock past its
# transactions, which the pooler may run on any server connection (a
# session's lock would stay on one, and trends would wait for it
# forever). expire through the pooler drops a month's partition and the
# older rows, and leaves no lock. Needs root; 77 without root, PostgreSQL
# or pgbouncer.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pgserver.sh"
command -v pgbouncer > /dev/null || { echo "SKIP: no pgbouncer (apt-get install pgbouncer)"; exit 77; }
need_fleetgen
NOW=1795000000 WRITERS=16 EACH=25
export COREINSPECT_SYSTEM_DEBUG_DIR= # the same signatures whatever debug packages this machine has
mkdir "$T/store"
cp "$FIXTURES"/classes/*.zst "$T/store/"
n=$(ls "$T/store" | wc -l)
pg_start -c max_connections=60

for mode in session transaction; do
        pool_start $mode
        direct=$(pg_db "f_$mode")
        pooled=$(pool_uri "f_$mode")
        "$COREINSPECT" index --db "$pooled" "$T/store" > "$T/out" 2> "$T/err" || fail "$mode: index: $(cat "$T/err")"
        grep -q "^indexed $n new crashes, 0 already" "$T/out" || fail "$mode: index: $(cat "$T/out")"
        timeout 60 "$COREINSPECT" trends --db "$pooled" --now $NOW > "$T/trends.pooled" 2>&1 ||
                fail "$mode: trends through the pooler: $(cat "$T/trends.pooled")"
        "$COREINSPECT" trends --db "$direct" --now $NOW > "$T/trends.direct" 2>&1 || fail "$mode: trends"
        cmp -s "$T/trends.pooled" "$T/trends.direct" ||
                fail "$mode: trends differ: $(diff "$T/trends.direct" "$T/trends.pooled" | head -n 5)"

        gen=$(pg_db "g_$mode")
        pooled=$(pool_uri "g_$mode")
        pids=()
        for k in $(seq 0 $((WRITERS - 1))); do
                "$FLEETGEN" "$pooled" $EACH --first $((k * EACH)) --now $NOW --days 40 --hosts 30 --signatures 12 \
                        --per-open > "$T/gen.$k" 2>&1 &
                pids+=($!)
        done
        for k in $(seq 0 $((WRITERS - 1))); do
                wait "${pids[$k]}" || fail "$mode: writer $k: $(cat "$T/gen.$k")"
        done
        timeout 60 "$COREINSPECT" trends --db "$pooled" --now $NOW > "$T/trends" 2> "$T/err" ||
                fail "$mode: trends after the writers (exit $?; a lock left behind?): $(cat "$T/err")"
        [ ! -s "$T/err" ] || fail "$mode: trends printed: $(cat "$T/err")"
        want=$((WRITERS * EACH))
        [ "$(q "$gen" "SELECT COUNT(*) || '|' || COUNT(DISTINCT crash_key) FROM crashes")" = "$want|$want" ] ||
                fail "$mode: rows|keys, want $want"
        [ "$(q "$gen" "SELECT COUNT(*) FROM rollup_queue")" = 0 ] || fail "$mode: the queue is not empty"
        for t in signatures:total sig_days:n sig_hosts:n sig_versions:n; do
                [ "$(q "$gen" "SELECT SUM(${t#*:}) FROM ${t%:*}")" = $want ] || fail "$mode: ${t%:*}.${t#*:}"
        done
        [ "$(q "$gen" "SELECT SUM(n) FROM sel_days")" = $((2 * want)) ] || fail "$mode: sel_days.n"
        [ "$(q "$gen" "SELECT COUNT(*) FROM signatures s WHERE hosts <> (SELECT COUNT(*) FROM sig_hosts h
                WHERE h.signature = s.signature) OR total <> (SELECT COUNT(*) FROM crashes c
                WHERE c.signature = s.signature)")" = 0 ] || fail "$mode: signatures.hosts or total"
        # no lock of the fold's left on any server connection
        [ "$(q "$gen" "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'
                OR (relation = CAST('signatures' AS regclass) AND mode = 'ExclusiveLock')")" = 0 ] ||
                fail "$mode: a lock left behind"
        # expire through the pooler: October (entirely before the cut) goes
        # as a partition (DETACH CONCURRENTLY, which runs outside a
        # transaction), the older rows of November as rows
        cut=$((NOW - 16 * 86400))
        keep=$(q "$gen" "SELECT COUNT(*) FROM crashes WHERE time >= $cut")
        [ "$(q "$gen" "SELECT COUNT(*) FROM pg_inherits WHERE inhrelid = to_regclass('crashes_y2026m10')")" = 1 ] ||
                fail "$mode: no October partition to expire"
        timeout 120 "$COREINSPECT" expire --db "$pooled" --older-than 16d --now $NOW > "$T/out" 2> "$T/err" ||
                fail "$mode: expire through the pooler: $(cat "$T/err")"
        grep -q "^dropped 1 month partition" "$T/out" || fail "$mode: expire: $(cat "$T/out")"
        [ "$(q "$gen" "SELECT COUNT(*) || '|' || COUNT(*) FILTER (WHERE time < $cut) FROM crashes")" = "$keep|0" ] ||
                fail "$mode: after expire, want $keep crashes, none before the cut"
        [ -z "$(q "$gen" "SELECT to_regclass('crashes_y2026m10')")" ] || fail "$mode: October's table is still there"
        timeout 60 "$COREINSPECT" trends --db "$pooled" --now $NOW > "$T/trends" 2> "$T/err" ||
                fail "$mode: trends after expire: $(cat "$T/err")"
        [ "$(q "$gen" "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'
                OR (relation = CAST('signatures' AS regclass) AND mode = 'ExclusiveLock')")" = 0 ] ||
                fail "$mode: a lock left behind by expire"
        pool_stop
        echo "ok: $mode pooling: index and trends as directly; $want crashes from $WRITERS writers, a connection each, none lost or twice, every rollup exact, no lock left; expire dropped a month and kept $keep"
done
