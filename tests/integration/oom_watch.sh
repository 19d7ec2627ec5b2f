#!/bin/bash
# A kernel OOM kill leaves no core: corecollect oom-watch turns it into a
# bundle. A victim allocates past a 64 MiB memory cgroup (cgroup v1 memory
# controller) and is killed by the real OOM killer; the watcher must write a
# bundle with the kernel's report and the cgroup's limit, and coreinspect must
# call it oom.
. "$(dirname "$0")/lib.sh"
MEMROOT=/sys/fs/cgroup/memory
[ -w "$MEMROOT/cgroup.procs" ] || skip "no cgroup v1 memory controller at $MEMROOT"
CG=$MEMROOT/cc-oomtest-$$
mkdir "$CG" || fail "cannot create $CG"
on_exit "rmdir '$CG' 2>/dev/null"
echo 64M > "$CG/memory.limit_in_bytes"
echo 64M > "$CG/memory.memsw.limit_in_bytes" 2>/dev/null || true # no swap either, where accounted

"$CORECOLLECT" oom-watch --store "$STORE" --once --timeout 60 > "$T/watch.out" 2> "$T/watch.err" &
watcher=$!
on_exit "kill $watcher 2>/dev/null"
sleep 0.5 # the watcher starts reading /dev/kmsg from its end
(
        echo "$BASHPID" > "$CG/cgroup.procs"
        ulimit -v 1048576 # the cgroup kills it first; this bounds a runaway anyway
        exec "$PROGRAMS/crash_heap" 256
) > /dev/null 2>&1 || true
rc=0
wait "$watcher" || rc=$?
[ "$rc" = 0 ] || fail "oom-watch exit $rc: $(cat "$T/watch.err")"
b=$(head -n 1 "$T/watch.out")
[ -f "$b" ] || fail "no bundle named by oom-watch: $(cat "$T/watch.out" "$T/watch.err")"
tar --zstd -tf "$b" > "$T/members" || fail "bundle not readable by tar"
! grep -qx core "$T/members" || fail "an OOM bundle cannot have a core"
extract "$b" "$T/x"
[ "$(json_get "$T/x/meta.json" 'd["kind"]')" = oom-kill ] || fail "kind"
[ "$(json_get "$T/x/meta.json" 'd["oom"]["constraint"]')" = CONSTRAINT_MEMCG ] || fail "constraint"
[ "$(json_get "$T/x/meta.json" 'd["memory_cgroup"]["limit"]')" = 67108864 ] || fail "cgroup limit"
grep -q "Killed process $(json_get "$T/x/meta.json" 'd["pid"]') " "$T/x/log/kernel.txt" || fail "kill line missing"
# packages.json: the packages of what /proc still showed mapped, or why
# there was nothing to look up (crash_heap is no package's: none listed)
python3 - "$T/x/packages.json" "$T/x/meta.json" <<'PY' || fail "packages.json: $(cat "$T/x/packages.json" 2>&1)"
import json, sys
pk, meta = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if meta["mapped_files"]:
    assert pk["status"] == "ok" and pk["reason"] is None, pk
    assert meta["mapped_files"][0]["executable"], meta["mapped_files"]
else:
    assert (pk["status"], pk["reason"]) == ("skipped", "no-mapped-files"), pk
assert not any(f["path"].endswith("/crash_heap") for f in pk["files"]), pk
PY
inspect "$b" "$T/oom"
python3 - "$T/oom.json" <<'PY' || fail "coreinspect: $(head -5 "$T/oom.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["classification"]
assert c["class"] == "oom", c
assert "memory cgroup" in c["detail"] and "64.0 MiB" in c["detail"], c["detail"]
assert d["bundle"]["core"] is False and d["threads"] == []
PY
"$CORECOLLECT" list --store "$STORE" | grep -q SIGKILL || fail "list does not show the OOM kill"
# an OOM bundle (no core) goes into the index like any crash: class oom,
# signature from the class, program and signal alone
"$COREINSPECT" index --db "$T/index.sqlite" "$STORE" > "$T/index.out" 2>&1 || fail "index: $(cat "$T/index.out")"
python3 - "$T/index.sqlite" "$T/oom.json" <<'PY' || fail "OOM crash not indexed right"
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT class, signal, signature, signature_text FROM crashes").fetchall()
d = json.load(open(sys.argv[2]))
assert len(rows) == 1 and rows[0][:3] == ("oom", 9, d["signature"]), rows
assert rows[0][3].startswith("v1|oom|") and rows[0][3].endswith("|sig9"), rows
PY
pass "OOM kill in a 64 MiB memory cgroup: bundle, class oom, indexed"
