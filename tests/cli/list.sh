#!/bin/bash
# coreinspect list and corecollect list (the same code) on a store of real
# bundles (the fixtures: crashes at known times of known executables):
# newest first, every filter (--since/--until absolute, relative and by
# epoch, --exe by path and file name, --comm, --pid, --signal by number and
# name, --host, and --class/--signature once coreinspect has analysed the
# bundles, as root), JSON, several stores, bad values exit 64; remove
# (bundles only, no symlink, not by another user, then gone from the list).
# Usage: list.sh COREINSPECT CORECOLLECT
set -uo pipefail
CI_BIN=$(readlink -f "$1")
CC_BIN=$(readlink -f "$2")
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
cd "$(dirname "$0")/../.."
OUT=$(mktemp -d "$(dirname "$CI_BIN")/list.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
S=$OUT/store
S2=$OUT/store2
mkdir -m 700 "$S" "$S2"
# copies: the cached verdict (an xattr) must be this run's, not the repo's
for f in fixtures/*.zst fixtures/classes/*.zst; do
        case $f in *.core.zst) continue ;; esac
        n=$(basename "$f")
        case $f in fixtures/classes/*) cp "$f" "$S2/core.$n" ;; *) cp "$f" "$S/core.$n" ;; esac
done

# what the bundles say, for the expectations
python3 - "$S" "$S2" > "$OUT/meta.json" <<'PY'
import json, os, subprocess, sys
rows = []
for store in sys.argv[1:]:
    for n in sorted(os.listdir(store)):
        m = json.loads(subprocess.run(["tar", "--zstd", "-xOf", os.path.join(store, n), "meta.json"], capture_output=True).stdout)
        rows.append(dict(bundle=n, store=store, time=m["time"], pid=m["pid"], signal=m["signal"], comm=m["comm"], exe=m["exe"], host=m["host"]))
json.dump(rows, sys.stdout)
PY

# check NAME WANT-PYTHON-EXPR -- LIST-ARGS: the listed bundles (in order)
# must be the rows for which the expression holds, newest first
check() {
        local name=$1 expr=$2; shift 3
        "$CI_BIN" list --json "$@" > "$OUT/got.json" 2> "$OUT/err" || fail "$name: exit $?: $(cat "$OUT/err")"
        python3 - "$OUT/meta.json" "$OUT/got.json" "$expr" "$name" <<'PY' || exit 1
import json, sys, time
rows = json.load(open(sys.argv[1])); got = json.load(open(sys.argv[2]))
want = sorted((r for r in rows if eval(sys.argv[3], {"now": time.time()}, r)), key=lambda r: (-r["time"], r["store"], r["bundle"]))
g = [x["bundle"] for x in got]; w = [r["bundle"] for r in want]
if g != w:
    sys.exit("FAIL: %s: got %s, want %s" % (sys.argv[4], g, w))
print("ok: %s: %d bundles" % (sys.argv[4], len(g)))
PY
}
MID=1795646000 # between the top-level fixtures (…5664 and before) and the classes (…6570 and after)
check "one store, newest first" "store == '$S'" -- "$S"
check "two stores merged, newest first" "True" -- "$S" "$S2"
check "--store twice" "True" -- --store "$S" --store "$S2"
check "--since @epoch" "time >= $MID" -- --since @$MID "$S" "$S2"
check "--until @epoch" "time <= $MID" -- --until @$MID "$S" "$S2"
check "--since relative (seconds)" "time >= $MID" -- --since "$(( $(date +%s) - MID ))s" "$S" "$S2"
check "--since relative (days), nothing" "False" -- --since 1d "$S" "$S2"
check "--since absolute date" "time >= $MID" -- --since "$(date -d @$MID '+%Y-%m-%d %H:%M:%S')" "$S" "$S2"
check "--since and --until" "1795646585 <= time <= 1795646601" -- --since @1795646585 --until @1795646601 "$S" "$S2"
check "--exe path" "exe.endswith('/crash_segv')" -- --exe "$(python3 -c "import json;print([r['exe'] for r in json.load(open('$OUT/meta.json')) if r['exe'].endswith('/crash_segv')][0])")" "$S" "$S2"
check "--exe file name" "exe.endswith('/crash_abort')" -- --exe crash_abort "$S" "$S2"
check "--comm" "comm == 'crash_thread'" -- --comm crash_thread "$S" "$S2"
check "--signal name" "signal == 6" -- --signal SIGABRT "$S" "$S2"
check "--signal short name" "signal == 6" -- --signal abrt "$S" "$S2"
check "--signal number" "signal == 11" -- --signal 11 "$S" "$S2"
check "--pid" "pid == $(python3 -c "import json;print(json.load(open('$OUT/meta.json'))[0]['pid'])")" -- --pid "$(python3 -c "import json;print(json.load(open('$OUT/meta.json'))[0]['pid'])")" "$S" "$S2"
check "--host" "True" -- --host "$(python3 -c "import json;print(json.load(open('$OUT/meta.json'))[0]['host'])")" "$S" "$S2"
check "--host other" "False" -- --host no-such-host "$S" "$S2"
check "--class before analysis" "False" -- --class abort "$S" "$S2"

# analysed (as root, who may write the store): class and signature cached
if [ "$(id -u)" = 0 ]; then
        for f in "$S"/*; do "$CI_BIN" "$f" > /dev/null 2>&1; done
        "$CI_BIN" --json "$S/core.abort.zst" > "$OUT/abort.json" 2> /dev/null
        sig=$(python3 -c "import json;print(json.load(open('$OUT/abort.json'))['signature']['hash'] if isinstance(json.load(open('$OUT/abort.json'))['signature'], dict) else json.load(open('$OUT/abort.json'))['signature'])" 2>/dev/null)
        check "--class abort" "bundle == 'core.abort.zst'" -- --class abort "$S" "$S2"
        check "--class null-deref" "store == '$S' and bundle in ('core.segv.zst', 'core.lib.zst', 'core.inline.zst', 'core.threads.zst')" -- --class null-deref "$S" "$S2"
        check "--signature prefix" "bundle == 'core.abort.zst'" -- --signature "${sig:0:8}" "$S" "$S2"
        "$CI_BIN" list "$S" | grep -q "\[abort $sig\]" || fail "text list: no [abort $sig]: $("$CI_BIN" list "$S")"
        echo "ok: class and signature cached and listed"
fi

# corecollect list: the same rows
"$CI_BIN" list --json "$S" "$S2" > "$OUT/a.json"
"$CC_BIN" list --json "$S" "$S2" > "$OUT/b.json"
cmp "$OUT/a.json" "$OUT/b.json" || fail "corecollect list --json differs from coreinspect list --json"
"$CC_BIN" list --json --exe crash_abort --store "$S" | grep -q core.abort.zst || fail "corecollect list --exe"
"$CC_BIN" list --help | grep -q -- --since || fail "corecollect list --help"
"$CI_BIN" list "$S" | head -1 | grep -q '^TIME' || fail "text header"
echo "ok: corecollect list agrees"

for bad in "--since yesterdayish" "--until 5x" "--signal NOPE" "--pid -1" "--bogus"; do
        rc=0; "$CI_BIN" list $bad "$S" > /dev/null 2>&1 || rc=$?
        [ "$rc" = 64 ] || fail "list $bad: exit $rc, want 64"
done
rc=0; "$CI_BIN" list "$OUT/none" > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "missing store: exit $rc, want 2"
echo "ok: bad values"

# remove: bundles only, never through a symlink, root's in a root store
cp README.md "$S/core.notabundle.zst"
ln -s "$S/core.segv.zst" "$S/core.link.zst"
rc=0; "$CI_BIN" remove "$S/core.notabundle.zst" "$S/core.link.zst" 2> "$OUT/err" || rc=$?
[ "$rc" = 1 ] && [ -e "$S/core.notabundle.zst" ] && [ -e "$S/core.segv.zst" ] && [ "$(wc -l < "$OUT/err")" = 2 ] ||
        fail "remove of a non-bundle and a symlink: exit $rc, $(cat "$OUT/err")"
rm -f "$S/core.notabundle.zst" "$S/core.link.zst"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
        chmod 755 "$OUT" "$S"; chmod 644 "$S/core.lib.zst"
        rc=0; setpriv --reuid=65534 --regid=65534 --clear-groups "$CI_BIN" remove "$S/core.lib.zst" 2> "$OUT/err" || rc=$?
        [ "$rc" = 1 ] && [ -e "$S/core.lib.zst" ] && grep -q "root's" "$OUT/err" || fail "nobody removed a root bundle: exit $rc"
fi
"$CI_BIN" remove "$S/core.lib.zst" "$S/core.segv.zst" || fail "remove: exit $?"
[ ! -e "$S/core.lib.zst" ] && [ ! -e "$S/core.segv.zst" ] || fail "remove left the bundles"
check "after remove" "store == '$S' and bundle not in ('core.lib.zst', 'core.segv.zst')" -- "$S"
rc=0; "$CI_BIN" remove > /dev/null 2>&1 || rc=$?
[ "$rc" = 64 ] || fail "remove without bundles: exit $rc"
echo "ok: remove"
