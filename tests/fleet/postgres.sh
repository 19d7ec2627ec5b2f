#!/bin/bash
# coreinspect index / trends on a real PostgreSQL server started for the
# test in a temporary directory (unix socket only, stopped afterwards): the
# fixtures' bundles go in once, again is a no-op, a copy counts once, two
# indexers creating the tables at once lose nothing, and trends gives the
# same answer as the SQLite backend on the same bundles; no run prints the
# server's notices; a crash whose values the database refuses (here: a
# CHECK constraint) is a failed bundle, not a stopped run; paths.sh's long
# and non-UTF-8 paths round-trip. Needs root (the server runs as nobody);
# skipped (77) without root or PostgreSQL.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pgserver.sh"
mkdir "$T/store" "$T/copy"
pg_start
for db in crashes crashes2 crashes3 crashes4 crashes5 crashes6 crashes7 crashes8 crashes9 crashes10; do
        pg_db $db > /dev/null
done
URI="postgresql:///crashes?host=$T/sock&port=$port&user=ci"
URI2="postgresql:///crashes2?host=$T/sock&port=$port&user=ci"
URI3="postgresql:///crashes3?host=$T/sock&port=$port&user=ci"
URI4="postgresql:///crashes4?host=$T/sock&port=$port&user=ci"

cp "$FIXTURES"/*.zst "$FIXTURES"/classes/*.zst "$T/store/"
n=$(ls "$T/store" | wc -l)
segv_debug_dir

rc=0; "$COREINSPECT" index --db "$URI" "$T/store" > "$T/out" 2> "$T/err" || rc=$?
# Until the elf branch, the analysis of segv.core.zst (its executable is
# absent) crashes: index records it as failed and goes on.
pair=2 all=$n
if [ $rc = 1 ] && [ "$(q "$URI" "SELECT reason FROM failures WHERE bundle = '$T/store/segv.core.zst'" |
        grep -Ec "killed by SIGSEGV|AddressSanitizer: SEGV")" = 1 ]; then
        echo "note: segv.core.zst crashed the analysis (recorded as failed)"
        rc=0 pair=1 n=$((n - 1))
        rm "$T/store/segv.core.zst" # the SQLite run below compares trends on the same bundles
fi
[ $rc = 0 ] || fail "index exit $rc: $(cat "$T/err")"
! grep -q NOTICE "$T/err" || fail "the server's notices were printed: $(cat "$T/err")"
grep -q "^indexed $n new crashes, 0 already" "$T/out" || fail "first index: $(cat "$T/out")"
[ "$(q "$URI" 'SELECT COUNT(*) FROM crashes')" = "$n" ] || fail "rows"
[ "$(q "$URI" 'SELECT COUNT(DISTINCT signature) FROM crashes')" = $((all - 1)) ] || fail "distinct signatures"
[ "$(q "$URI" "SELECT value FROM coreinspect_meta WHERE key = 'schema'")" = 8 ] || fail "schema version"
# an up-to-date database: opening it runs no DDL and takes no lock (every
# statement of the next run is logged)
q "$URI" "ALTER DATABASE crashes SET log_statement = 'all'" > /dev/null || fail "log_statement"
: > "$T/pg.log"
rc=0; "$COREINSPECT" index --db "$URI" "$T/store" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 0 ] || fail "second index: exit $rc: $(cat "$T/err")"
grep -Eq "(statement|execute [^:]*): SELECT .* FROM coreinspect_meta WHERE key = .schema." "$T/pg.log" || fail "statements not logged: $(tail -n 3 "$T/pg.log")"
! grep -Ei "(statement|execute [^:]*): .*(CREATE|ALTER|DROP|advisory|LOCK)" "$T/pg.log" || fail "DDL or a lock on an up-to-date database"
q "$URI" "ALTER DATABASE crashes RESET log_statement" > /dev/null || fail "log_statement"
[ ! -s "$T/err" ] || fail "second index printed: $(cat "$T/err")" # five "already exists" NOTICEs before
grep -q "^indexed 0 new crashes, $n already in the index" "$T/out" || fail "second index: $(cat "$T/out")"
cp "$T/store/threads.zst" "$T/copy/renamed.zst"
"$COREINSPECT" index --db "$URI" "$T/copy" > "$T/out" 2>&1 || fail "copy index failed"
grep -q "^indexed 0 new crashes, 1 already in the index, 0 duplicates " "$T/out" || fail "copy: $(cat "$T/out")"

# two indexers create the tables and fill them at once
mkdir "$T/a" "$T/b"
i=0
for f in "$T"/store/*.zst; do
        if [ $((i % 2)) = 0 ]; then cp "$f" "$T/a/"; else cp "$f" "$T/b/"; fi
        i=$((i + 1))
done
"$COREINSPECT" index --db "$URI2" "$T/a" > "$T/a.out" 2>&1 & pa=$!
"$COREINSPECT" index --db "$URI2" "$T/b" > "$T/b.out" 2>&1 & pb=$!
wait $pa || fail "indexer a: $(cat "$T/a.out")"
wait $pb || fail "indexer b: $(cat "$T/b.out")"
! grep -q NOTICE "$T/a.out" "$T/b.out" || fail "notices: $(cat "$T/a.out" "$T/b.out")"
[ "$(q "$URI2" 'SELECT COUNT(*) FROM crashes')" = "$n" ] || fail "two indexers: $(q "$URI2" 'SELECT COUNT(*) FROM crashes') rows"

# the same bundles in SQLite: trends must say the same
"$COREINSPECT" index --db "$T/lite.sqlite" "$T/store" > /dev/null 2>&1 || fail "sqlite index"
last=$(q "$URI" 'SELECT MAX(time) FROM crashes')
for when in $((last + 3600)) $((last + 10 * 86400)); do
        "$COREINSPECT" trends --db "$URI" --json --now "$when" > "$T/pg.json" || fail "trends (postgres)"
        "$COREINSPECT" trends --db "$T/lite.sqlite" --json --now "$when" > "$T/lite.json" || fail "trends (sqlite)"
        cmp -s "$T/pg.json" "$T/lite.json" || fail "postgres and sqlite trends differ: $(diff "$T/pg.json" "$T/lite.json" | head -n 10)"
done
for filter in "--exe crash_segv" "--class null-deref" "--host $(q "$URI" 'SELECT MAX(host) FROM crashes')"; do
        # shellcheck disable=SC2086 # the filter is two words
        "$COREINSPECT" trends --db "$URI" --json --now "$when" $filter > "$T/pgf.json" || fail "trends $filter (postgres)"
        # shellcheck disable=SC2086
        "$COREINSPECT" trends --db "$T/lite.sqlite" --json --now "$when" $filter > "$T/litef.json" || fail "trends $filter (sqlite)"
        cmp -s "$T/pgf.json" "$T/litef.json" || fail "trends $filter differ: $(diff "$T/pgf.json" "$T/litef.json" | head -n 10)"
        [ "$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['signatures']))" "$T/pgf.json")" -ge 1 ] ||
                fail "trends $filter: nothing"
done
python3 - "$T/pg.json" "$all" "$pair" <<'PY' || fail "trends content"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["signatures"]
assert len(s) == int(sys.argv[2]) - 1 and s[0]["total"] == int(sys.argv[3]), [x["total"] for x in s]
assert all(x["trend"] == "down" for x in s), [x["trend"] for x in s]
PY
"$COREINSPECT" trends --db "$URI" --now $((last + 3600)) --limit 1 > "$T/t.txt" || fail "trends text"
[ $pair = 1 ] || grep -q " 2 .* 1 .* 0 new .*crash_segv: store_through < main$" "$T/t.txt" || fail "top row: $(cat "$T/t.txt")"

# A value the database refuses (a constraint of the admin's; before: an
# invalid UTF-8 string) makes that bundle a failed row, not a stopped run.
mkdir "$T/refused"
cp "$FIXTURES/abort.zst" "$FIXTURES/lib.zst" "$FIXTURES/threads.zst" "$T/refused/"
"$COREINSPECT" index --db "$URI4" "$T/refused/lib.zst" > /dev/null 2>&1 || fail "index into crashes4"
q "$URI4" "ALTER TABLE crashes ADD CONSTRAINT no_abort CHECK (class <> 'abort')" > /dev/null || fail "constraint"
rc=0; "$COREINSPECT" index --db "$URI4" "$T/refused" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 1 ] || fail "a refused crash: exit $rc, want 1: $(cat "$T/err")"
grep -q "abort.zst: not indexed: the database refused it: .*no_abort" "$T/err" || fail "refused: $(cat "$T/err")"
grep -q "^indexed 1 new crash, 1 already in the index, 0 duplicates .*, 1 failed" "$T/out" || fail "refused: $(cat "$T/out")"
q "$URI4" "SELECT reason FROM failures WHERE bundle = '$T/refused/abort.zst'" | grep -q "no_abort" ||
        fail "no failed row for the refused crash"
# the constraint gone, the crash goes in and its failure goes (in the
# insert's round trip: the pipeline's last statement)
q "$URI4" "ALTER TABLE crashes DROP CONSTRAINT no_abort" > /dev/null || fail "drop the constraint"
"$COREINSPECT" index --db "$URI4" --retry-failed "$T/refused" > "$T/out" 2> "$T/err" || fail "index again: $(cat "$T/err")"
grep -q "^indexed 1 new crash, 2 already in the index, 0 duplicates .*, 0 failed" "$T/out" || fail "accepted: $(cat "$T/out")"
[ "$(q "$URI4" "SELECT COUNT(*) FROM failures")" = 0 ] || fail "the failure stayed: $(q "$URI4" "SELECT * FROM failures")"

# identity by content, failures, --signature, expire, schema 2 -> 3
"$(dirname "$0")/identity.sh" "$COREINSPECT" "$FIXTURES" "postgresql:///crashes5?host=$T/sock&port=$port&user=ci" \
        "postgresql:///crashes6?host=$T/sock&port=$port&user=ci" || fail "identity on PostgreSQL"

# long and non-UTF-8 paths
"$(dirname "$0")/paths.sh" "$COREINSPECT" "$FIXTURES" "$URI3" || fail "paths on PostgreSQL"

# the page, read back by chromium
"$(dirname "$0")/html.sh" "$COREINSPECT" "$FIXTURES" "postgresql:///crashes7?host=$T/sock&port=$port&user=ci" ||
        fail "trends --html on PostgreSQL"
# versions: --by version, first version, new in this version
"$(dirname "$0")/versions.sh" "$COREINSPECT" "$FIXTURES" "postgresql:///crashes8?host=$T/sock&port=$port&user=ci" ||
        fail "trends --by version on PostgreSQL"
# the package versions recorded by the crashed hosts; schema 4 -> 5
"$(dirname "$0")/packages.sh" "$COREINSPECT" "$FIXTURES" "postgresql:///crashes9?host=$T/sock&port=$port&user=ci" ||
        fail "package versions on PostgreSQL"
# the filters (--host, --exe PATH ...) from the selection rollups, and their migration
"$(dirname "$0")/filters.sh" "$COREINSPECT" "$FIXTURES" "postgresql:///crashes10?host=$T/sock&port=$port&user=ci" ||
        fail "trends' filters on PostgreSQL"

rc=0; "$COREINSPECT" trends --db "postgresql:///nosuchdb?host=$T/sock&port=$port&user=ci" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] || fail "no such database: exit $rc: $(cat "$T/err")"
rc=0; "$COREINSPECT" trends --db "postgresql:///postgres?host=$T/sock&port=$port&user=ci" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 2 ] && grep -q "not a coreinspect index" "$T/err" || fail "a database without our tables: exit $rc: $(cat "$T/err")"
# a database a newer coreinspect made: a writer checks the version with its
# first statement (in its round trip), so that statement fails; one line,
# exit 2, no summary, nothing written (with bundles to look up or none)
n4=$(q "$URI4" "SELECT COUNT(*) FROM crashes")
q "$URI4" "UPDATE coreinspect_meta SET value = '99' WHERE key = 'schema'" > /dev/null || fail "schema 99"
mkdir "$T/newer" "$T/none"
cp "$FIXTURES/segv.zst" "$FIXTURES/threads.zst" "$T/newer/"
for s in newer none; do
        rc=0; "$COREINSPECT" index --db "$URI4" "$T/$s" > "$T/out" 2> "$T/err" || rc=$?
        [ $rc = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] && [ ! -s "$T/out" ] &&
                grep -q "has schema 99; this coreinspect reads schema 8 (a newer coreinspect made it)" "$T/err" ||
                fail "index ($s) into schema 99: exit $rc: $(cat "$T/out" "$T/err")"
done
rc=0; "$FLEETGEN" "$URI4" 1 --per-open --no-fold > "$T/out" 2> "$T/err" || rc=$?
[ $rc != 0 ] && [ "$(grep -c "coreinspect" "$T/err")" = 1 ] && grep -q "has schema 99; this coreinspect reads" "$T/err" ||
        fail "fleetgen into schema 99: exit $rc: $(cat "$T/err")"
q "$URI4" "UPDATE coreinspect_meta SET value = '8' WHERE key = 'schema'" > /dev/null || fail "schema 8 again"
[ "$(q "$URI4" "SELECT COUNT(*) FROM crashes")" = "$n4" ] || fail "rows written into schema 99"
echo "ok: $n bundles in PostgreSQL once, no DDL on an up-to-date database, identity.sh, copy once, two indexers, trends equal to SQLite's, no notices, a refused crash recorded, long and non-UTF-8 paths, the HTML page, versions, package versions, filters, a newer schema refused in one line"
