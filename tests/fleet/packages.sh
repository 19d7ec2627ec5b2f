#!/bin/bash
# index stores the package and version the crashed host recorded
# (packages.json) for the executable, and trends --by version shows the
# package version, with the build-id next to it, where it is known (the
# build-id alone where it is not); "first seen in version" is the package
# version. A database of schema 4 is migrated to 6. SQLite (default) or
# the empty PostgreSQL database given as the third argument (postgres.sh).
. "$(dirname "$0")/common.sh"
export COREINSPECT_SYSTEM_DEBUG_DIR= DPKG_ADMINDIR=/nonexistent
REBUNDLE=$(dirname "$0")/rebundle.py

EXE=$(tar --zstd -xOf "$FIXTURES/segv.zst" meta.json | python3 -c "
import json,sys; print(next(f['path'] for f in json.load(sys.stdin)['mapped_files'] if f['executable']))")
EXE_ID=$(tar --zstd -xOf "$FIXTURES/segv.zst" meta.json | python3 -c "
import json,sys; print(next(f['build_id'] for f in json.load(sys.stdin)['mapped_files'] if f['executable']))")
pk() { printf '{"format": 1, "status": "ok", "reason": null, "files": [{"path": "%s", "package": "crash-victim", "version": "%s", "architecture": "amd64"%s}]}\n' "$EXE" "$1" "${2:-}" > "$T/$1.json"; }
pk 1.2-3
pk 1.2-4
pk 1.2-5 ', "replaced": true'
mkdir -p "$T/store"
python3 "$REBUNDLE" "$FIXTURES/segv.zst" "$T/store/a.zst" --host alpha --time 1795000000 --packages "$T/1.2-3.json" || fail "rebundle a"
python3 "$REBUNDLE" "$FIXTURES/segv.zst" "$T/store/b.zst" --host beta --time 1795100000 --packages "$T/1.2-4.json" || fail "rebundle b"
python3 "$REBUNDLE" "$FIXTURES/segv.zst" "$T/store/c.zst" --host gamma --time 1795200000 || fail "rebundle c"
# replaced since the process started: the installed version is not the one that ran
python3 "$REBUNDLE" "$FIXTURES/segv.zst" "$T/store/d.zst" --host delta --time 1795300000 --packages "$T/1.2-5.json" || fail "rebundle d"

"$COREINSPECT" index --db "$DB" "$T/store" > "$T/out" 2> "$T/err" || fail "index: $(cat "$T/err")"
grep -q "^indexed 4 new crashes" "$T/out" || fail "index: $(cat "$T/out")"
got=$(q "$DB" "SELECT host, COALESCE(package, '-'), COALESCE(version, '-'), build_id FROM crashes ORDER BY host")
want="alpha|crash-victim|1.2-3|$EXE_ID
beta|crash-victim|1.2-4|$EXE_ID
delta|crash-victim|-|$EXE_ID
gamma|-|-|$EXE_ID"
[ "$got" = "$want" ] || fail "crashes' package and version: $got"
echo "ok: index stores the recorded package and version (none for a bundle without them; no version for a file replaced since)"

"$COREINSPECT" trends --db "$DB" --now 1795400000 --window 30d --by version --json > "$T/t.json" || fail "trends --json"
python3 - "$T/t.json" "$EXE_ID" <<'PY' || fail "trends --by version --json"
import json, sys
d = json.load(open(sys.argv[1]))
exe_id = sys.argv[2]
(s,) = d["signatures"]
v = {x["version"]: x for x in s["versions"]}
assert set(v) == {"1.2-3", "1.2-4", exe_id}, v
assert v["1.2-3"]["build_id"] == exe_id and v["1.2-4"]["build_id"] == exe_id, v
assert "build_id" not in v[exe_id], v[exe_id]
assert v[exe_id]["crashes"] == 2, v
assert s["first_version"] == "1.2-3", s["first_version"]
PY
"$COREINSPECT" trends --db "$DB" --now 1795400000 --window 30d --by version > "$T/t.txt" || fail "trends"
grep -q "^  version 1.2-4 (build-id $EXE_ID) " "$T/t.txt" || fail "text: $(grep version "$T/t.txt")"
grep -q "^  version $EXE_ID " "$T/t.txt" || fail "text: the build-id alone: $(grep version "$T/t.txt")"
echo "ok: trends --by version shows the package version next to the build-id, first version 1.2-3"

# schema 4 (before sig_versions.build_id) -> 5 -> 6
q "$DB" "ALTER TABLE sig_versions DROP COLUMN build_id; DROP TABLE sel_sigs; DROP TABLE sel_days; UPDATE coreinspect_meta SET value = '4' WHERE key = 'schema'" ||
        fail "making a schema 4 database"
rc=0; "$COREINSPECT" trends --db "$DB" > /dev/null 2> "$T/err" || rc=$?
[ $rc = 2 ] || fail "trends on schema 4: exit $rc"
"$COREINSPECT" index --db "$DB" "$T/store" > "$T/out" 2> "$T/err" || fail "index on schema 4: $(cat "$T/err")"
grep -q "^indexed 0 new crashes, 4 already" "$T/out" || fail "after migration: $(cat "$T/out")"
[ "$(q "$DB" "SELECT value FROM coreinspect_meta WHERE key = 'schema'")" = 8 ] || fail "schema not 8"
q "$DB" "SELECT build_id FROM sig_versions" > /dev/null || fail "no sig_versions.build_id after migration"
echo "ok: schema 4 migrated to 8"
