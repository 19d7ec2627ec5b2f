#!/bin/bash
# trends per version, in SQLite (default) or the PostgreSQL database given as
# the third argument (postgres.sh does): a synthetic fleet (bench/fleetgen,
# through fleet_db_add as index writes) of 200 executables in three releases
# over 30 days; trends --json --by version must agree with what Python
# computes from the crash rows themselves: each signature's crashes per
# version, the version of its first crash, and "new in this version" (its
# first crash is in the newest version of its executable, which has had
# more than one). The text shows the same.
. "$(dirname "$0")/common.sh"
need_fleetgen
NOW=1795996800
"$FLEETGEN" "$DB" 3000 --signatures 400 --hosts 50 --days 30 --now $NOW > "$T/gen" 2>&1 || fail "fleetgen: $(cat "$T/gen")"
case $DB in
postgres*) psql "$DB" -tAF '|' -c "SELECT signature, exe, time, id, COALESCE(version, build_id) FROM crashes" > "$T/rows" ;;
*) python3 -c "import sqlite3,sys; [print('|'.join(map(str, r))) for r in sqlite3.connect(sys.argv[1]).execute(
        'SELECT signature, exe, time, id, COALESCE(version, build_id) FROM crashes')]" "$DB" > "$T/rows" ;;
esac
[ "$(wc -l < "$T/rows")" = 3000 ] || fail "rows: $(wc -l < "$T/rows")"
"$COREINSPECT" trends --db "$DB" --now $NOW --window 30d --limit 1000 --by version --json > "$T/t.json" ||
        fail "trends --by version --json"
"$COREINSPECT" trends --db "$DB" --now $NOW --window 30d --limit 1000 --by version > "$T/t.txt" ||
        fail "trends --by version"
python3 - "$T/rows" "$T/t.json" "$T/t.txt" <<'PY' || fail "versions wrong"
import json, sys
from collections import defaultdict
rows = [l.split("|") for l in open(sys.argv[1]).read().splitlines()]
per = defaultdict(lambda: defaultdict(int))
first = {}
exe_of = {}
vfirst = defaultdict(dict)  # exe -> version -> its earliest crash
for sig, exe, t, i, v in rows:
    t, i = int(t), int(i)
    per[sig][v] += 1
    exe_of[sig] = exe
    if sig not in first or (t, i) < first[sig][:2]:
        first[sig] = (t, i, v)
    if v not in vfirst[exe] or t < vfirst[exe][v]:
        vfirst[exe][v] = t
def newest(exe):
    return max(vfirst[exe].items(), key=lambda kv: (kv[1], kv[0]))[0]
doc = json.load(open(sys.argv[2]))
sigs = doc["signatures"]
assert len(sigs) == len(per), (len(sigs), len(per))
flagged = 0
for s in sigs:
    sig = s["signature"]
    got = {v["version"]: v["crashes"] for v in s["versions"]}
    assert got == dict(per[sig]), (sig, got, dict(per[sig]))
    assert s["first_version"] == first[sig][2], (sig, s["first_version"], first[sig])
    exe = exe_of[sig]
    want = len(vfirst[exe]) > 1 and first[sig][2] == newest(exe)
    assert s["new_in_version"] == want, (sig, s["new_in_version"], want, vfirst[exe], first[sig])
    flagged += want
assert 0 < flagged < len(sigs), f"flagged {flagged} of {len(sigs)}: not a test"
text = open(sys.argv[3]).read()
assert text.count("[new in this version]") == flagged, "text flags"
assert text.count("\n  version ") == sum(len(s["versions"]) for s in sigs), "text versions"
assert "FIRST VERSION" in text.splitlines()[0]
print(f"{len(sigs)} signatures, {flagged} new in their version")
PY
rc=0; "$COREINSPECT" trends --db "$DB" --by host > /dev/null 2> "$T/err" || rc=$?
[ $rc = 64 ] || fail "--by host: exit $rc"
echo "ok: trends --by version, first version and new in this version agree with the rows"
