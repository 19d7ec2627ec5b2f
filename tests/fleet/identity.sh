#!/bin/bash
# A crash is its content, not its path (docs/fleet.md, "Identity"), in
# SQLite (default) or the PostgreSQL database given as the third argument
# (postgres.sh does; the fourth is another empty one, for the migration):
#  - two hosts' crashes of the same program, pid and second, one after the
#    other at the same path (every host names bundles the same way), both
#    count; the rollups say 2 crashes on 2 hosts;
#  - a renamed copy counts once, without analysis;
#  - a bundle that fails is not tried again by the next run;
#  - trends --signature lists the crashes and whether each bundle is there;
#  - a database of schema 2 is migrated: its row is adopted (not added
#    twice), its rollups are built, and the next open changes nothing;
#  - expire deletes old rows and keeps the rollups.
. "$(dirname "$0")/common.sh"
DB2=${4:-$T/v2.sqlite}
export COREINSPECT_SYSTEM_DEBUG_DIR=
REBUNDLE=$(dirname "$0")/rebundle.py
index() { "$COREINSPECT" index --db "$1" "${@:2}" > "$T/out" 2> "$T/err"; }

mkdir -p "$T/store" "$T/elsewhere" "$T/bad"
python3 "$REBUNDLE" "$FIXTURES/threads.zst" "$T/alpha.zst" --host alpha --boot-id b1 || fail "rebundle alpha"
python3 "$REBUNDLE" "$FIXTURES/threads.zst" "$T/beta.zst" --host beta --boot-id b2 || fail "rebundle beta"
P=$T/store/core.threads.4242.1795000000.zst # the same name on every host

cp "$T/alpha.zst" "$P"
index "$DB" "$T/store" || fail "index alpha: $(cat "$T/err")"
grep -q "^indexed 1 new crash, 0 already" "$T/out" || fail "alpha: $(cat "$T/out")"
cp "$T/beta.zst" "$P" # beta's crash, at the path alpha's had
index "$DB" "$T/store" || fail "index beta: $(cat "$T/err")"
grep -q "^indexed 1 new crash, 0 already" "$T/out" || fail "beta at alpha's path was not counted: $(cat "$T/out")"
[ "$(q "$DB" "SELECT COUNT(*) FROM crashes")" = 2 ] || fail "rows: $(q "$DB" "SELECT host, bundle FROM crashes")"
[ "$(q "$DB" "SELECT host FROM crashes ORDER BY host" | tr '\n' ' ')" = "alpha beta " ] || fail "hosts"
sig=$(q "$DB" "SELECT signature FROM crashes LIMIT 1")
[ "$(q "$DB" "SELECT total, hosts FROM signatures WHERE signature = '$sig'")" = "2|2" ] ||
        fail "rollup: $(q "$DB" "SELECT total, hosts FROM signatures")"
[ "$(q "$DB" "SELECT SUM(n) FROM sig_days WHERE signature = '$sig'")" = 2 ] || fail "sig_days"
[ "$(q "$DB" "SELECT COUNT(*) FROM sig_hosts WHERE signature = '$sig'")" = 2 ] || fail "sig_hosts"
exe_id=$(q "$DB" "SELECT build_id FROM crashes LIMIT 1")
[ ${#exe_id} = 40 ] || fail "no build-id recorded: '$exe_id'"

# again, and a renamed copy: already there, not analyzed
cp "$T/alpha.zst" "$T/elsewhere/renamed.zst"
index "$DB" "$T/store" "$T/elsewhere" || fail "index again: $(cat "$T/err")"
grep -q "^indexed 0 new crashes, 2 already in the index, 0 duplicates" "$T/out" || fail "again: $(cat "$T/out")"
# the same crash twice in one run: once
cp "$FIXTURES/abort.zst" "$T/bad/a1.zst"
cp "$FIXTURES/abort.zst" "$T/bad/a2.zst"
head -c 20000 "$FIXTURES/lib.zst" > "$T/bad/cut.zst"
rc=0; index "$DB" "$T/bad" || rc=$?
[ $rc = 1 ] || fail "a cut bundle: exit $rc: $(cat "$T/err")"
grep -q "^indexed 1 new crash, 0 already in the index, 1 duplicate .*, 1 failed" "$T/out" || fail "bad: $(cat "$T/out")"
rc=0; index "$DB" "$T/bad" || rc=$?
[ $rc = 1 ] || fail "again: exit $rc"
grep -q "^indexed 0 new crashes, 2 already in the index, 0 duplicates .*, 1 failed (1 failed before" "$T/out" ||
        fail "the failed bundle was tried again: $(cat "$T/out")"

# trends --signature: both crashes; the path holds beta's bundle now
"$COREINSPECT" trends --db "$DB" --signature "$sig" --json > "$T/s.json" || fail "trends --signature"
python3 - "$T/s.json" "$P" <<'PY' || fail "trends --signature: $(cat "$T/s.json")"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["crashes"]
assert sorted(x["host"] for x in c) == ["alpha", "beta"], c
assert all(x["bundle"] == sys.argv[2] and x["bundle_exists"] and x["pid"] > 0 and x["time"] > 0 for x in c), c
assert all(len(x["version"]) == 40 for x in c), c  # the build-id: the bundle knows no package
PY
"$COREINSPECT" trends --db "$DB" --signature "$sig" > "$T/s.txt" || fail "trends --signature text"
[ "$(grep -c " present " "$T/s.txt")" = 2 ] || fail "text: $(cat "$T/s.txt")"
rm "$P"
"$COREINSPECT" trends --db "$DB" --signature "$sig" > "$T/s.txt" || fail "trends --signature text"
[ "$(grep -c " gone " "$T/s.txt")" = 2 ] || fail "text after rm: $(cat "$T/s.txt")"

# expire: the raw rows go, the rollups stay
last=$(q "$DB" "SELECT MAX(time) FROM crashes")
"$COREINSPECT" expire --db "$DB" --older-than 1d > "$T/out" 2> "$T/err" || fail "expire: $(cat "$T/err")"
grep -q "^expired 3 crashes, " "$T/out" || fail "expire: $(cat "$T/out")"
[ "$(q "$DB" "SELECT COUNT(*) FROM crashes")" = 0 ] || fail "rows left"
[ "$(q "$DB" "SELECT total FROM signatures WHERE signature = '$sig'")" = 2 ] || fail "rollups expired"
"$COREINSPECT" trends --db "$DB" --json --now $((last + 86400)) > "$T/t.json" || fail "trends after expire"
python3 -c "import json,sys; s=[x for x in json.load(open(sys.argv[1]))['signatures'] if x['signature']==sys.argv[2]][0]; assert s['total']==2 and s['recent']==2 and s['hosts']==2, s" \
        "$T/t.json" "$sig" || fail "trends after expire: $(cat "$T/t.json")"
rc=0; "$COREINSPECT" expire --db "$DB" > /dev/null 2>&1 || rc=$?
[ $rc = 64 ] || fail "expire without --older-than: exit $rc"

# schema 2 -> 3: the row of schema 2 is alpha's bundle at this path
cp "$T/alpha.zst" "$P"
case $DB2 in
postgres*) id=BIGSERIAL ;;
*) id=INTEGER ;;
esac
v2="CREATE TABLE crashes (id $id PRIMARY KEY, crash_key TEXT NOT NULL UNIQUE, bundle_key TEXT NOT NULL,
 bundle TEXT NOT NULL, host TEXT, exe TEXT, exe_name TEXT, pid BIGINT, time BIGINT, signal INTEGER,
 class TEXT NOT NULL, detail TEXT, confidence TEXT, crash_frame TEXT, signature TEXT NOT NULL,
 signature_text TEXT NOT NULL, indexed_at BIGINT NOT NULL);
CREATE INDEX crashes_signature ON crashes(signature); CREATE INDEX crashes_time ON crashes(time);
CREATE INDEX crashes_bundle_key ON crashes(bundle_key);
CREATE TABLE failures (bundle_key TEXT PRIMARY KEY, bundle TEXT NOT NULL, reason TEXT NOT NULL,
 analyzer TEXT NOT NULL, failed_at BIGINT NOT NULL);
CREATE TABLE coreinspect_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO coreinspect_meta VALUES ('schema', '2');
INSERT INTO crashes (crash_key, bundle_key, bundle, host, exe, exe_name, pid, time, signal, class,
 signature, signature_text, indexed_at) VALUES ('old', '$(printf %s "$P" | sha256sum | cut -c1-64)', '$P',
 'alpha', '/x/threads', 'threads', 1, $last, 11, 'abort', '$sig', 'v1|abort|threads|sig6|main', 1);
INSERT INTO failures VALUES ('k', '/gone.zst', 'old reason', 'old', 1);"
case $DB2 in
postgres*) psql "$DB2" -qc "$v2" || fail "schema 2 (postgres)" ;;
*) python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()" "$DB2" "$v2" ||
        fail "schema 2" ;;
esac
rc=0; "$COREINSPECT" trends --db "$DB2" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 2 ] && grep -q "schema 2; run .coreinspect index. to migrate" "$T/err" || fail "trends on schema 2: $rc $(cat "$T/err")"
index "$DB2" "$T/store" || fail "migrate: $(cat "$T/err")"
grep -q "^indexed 0 new crashes, 1 already in the index" "$T/out" || fail "the row of schema 2 was not adopted: $(cat "$T/out")"
[ "$(q "$DB2" "SELECT value FROM coreinspect_meta WHERE key = 'schema'")" = 8 ] || fail "schema not 8"
[ "$(q "$DB2" "SELECT COUNT(*) FROM crashes WHERE crash_key LIKE 'v2:%'")" = 0 ] || fail "key not adopted"
[ "$(q "$DB2" "SELECT COUNT(*) FROM failures")" = 0 ] || fail "old failures kept"
[ "$(q "$DB2" "SELECT total, hosts, latest_bundle FROM signatures")" = "1|1|$P" ] ||
        fail "rollups of schema 2's rows: $(q "$DB2" "SELECT * FROM signatures")"
cp "$T/beta.zst" "$P"
index "$DB2" "$T/store" || fail "after migration: $(cat "$T/err")"
grep -q "^indexed 1 new crash, 0 already" "$T/out" || fail "beta after migration: $(cat "$T/out")"
[ "$(q "$DB2" "SELECT total, hosts FROM signatures")" = "2|2" ] || fail "rollups after migration"
echo "ok: two hosts at one path both counted, copies once, failures not retried, --signature, expire, schema 2 migrated"
