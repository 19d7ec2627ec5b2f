#!/bin/bash
# Crashes analysed where their binaries are not: every module whose ELF file
# is absent or is not the one that ran. The fixtures' paths are moved (same
# length, in the core's NT_FILE note, meta.json and proc/maps) to
# /nonexistent/... so that nothing of this machine can stand in for them,
# whatever it has under /tmp or /usr/lib. Each case must give a report with
# exit 0 or 1 (never a signal: all of them died with SIGSEGV in libdwfl
# before find_elf), frames in such modules named MODULE+0xOFFSET with their
# build-id, and a verdict that names what was missing and is not "high"
# when the crash frame depends on it.
# Usage: missing_elf.sh COREINSPECT REBUNDLE
set -uo pipefail
CI_BIN=$1
REBUNDLE=$2
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
ulimit -c 0 # an analyzer that crashes must not feed its core to whatever handler is installed
cd "$(dirname "$0")/../.."
T=$(mktemp -d /tmp/cli-missing.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

export COREINSPECT_SYSTEM_DEBUG_DIR=
unset DEBUGINFOD_URLS COREINSPECT_DEBUG_DIRS

[ ! -e /nonexistent ] || { echo "SKIP: /nonexistent exists here"; exit 77; }
# the fixtures' two directories, and places of the same length for them
FIX=/tmp/coreinspect-fixtures # 25 bytes: the victims
LIB=/usr/lib/x86_64-linux-gnu # 25 bytes: libc and ld.so
GONE_FIX=/nonexistent/ci-absent-x
GONE_LIB=/nonexistent/ci-absent-y
GONE_FIX=$GONE_FIX$(printf '%*s' $((${#FIX} - ${#GONE_FIX})) '' | tr ' ' x)
GONE_LIB=$GONE_LIB$(printf '%*s' $((${#LIB} - ${#GONE_LIB})) '' | tr ' ' y)
# a directory of ours, the same length as LIB, where a *different* libc.so.6
# stands (as after a package upgrade on the analysing machine)
OTHER_LIB=$T/$(printf '%*s' $((${#LIB} - ${#T} - 1)) '' | tr ' ' o)
[ ${#OTHER_LIB} = ${#LIB} ] || { echo "SKIP: temporary directory path too long"; exit 77; }
mkdir -p "$OTHER_LIB"

tar --zstd -xf fixtures/segv.zst -C "$T" meta.json files
ids() { python3 -c "
import json,sys
for m in json.load(open(sys.argv[1]))['mapped_files']:
    print(m['path'].rsplit('/',1)[-1], m['build_id'])" "$1"; }
ids "$T/meta.json" > "$T/ids"
EXE_ID=$(awk '$1 == "crash_segv" {print $2}' "$T/ids")
LIBC_ID=$(awk '$1 == "libc.so.6" {print $2}' "$T/ids")
LD_ID=$(awk '$1 == "ld-linux-x86-64.so.2" {print $2}' "$T/ids")
[ -n "$EXE_ID" ] && [ -n "$LIBC_ID" ] && [ -n "$LD_ID" ] || { echo "FAIL: segv.zst's meta.json lacks build-ids"; exit 1; }
# other ELF files with other build-ids, under the names the core maps
cp "$T/files/$LD_ID" "$OTHER_LIB/libc.so.6"
cp "$T/files/$LIBC_ID" "$OTHER_LIB/ld-linux-x86-64.so.2"

# a raw core, its paths moved: subst_core OUT OLD NEW [OLD NEW]...
subst_core() {
        python3 - "$@" <<'PY'
import sys
out, pairs = sys.argv[1], sys.argv[2:]
b = open(out, "rb").read()
for old, new in zip(pairs[::2], pairs[1::2]):
    assert len(old) == len(new)
    b = b.replace(old.encode(), new.encode())
open(out, "wb").write(b)
PY
}
zstd -q -d -o "$T/gone.core" fixtures/segv.core.zst
cp "$T/gone.core" "$T/otherlib.core"
subst_core "$T/gone.core" "$FIX" "$GONE_FIX" "$LIB" "$GONE_LIB"
subst_core "$T/otherlib.core" "$FIX" "$GONE_FIX" "$LIB" "$OTHER_LIB"

# rebundle NAME FIXTURE [rebundle options]: fixtures/FIXTURE.zst moved away
# from this machine's paths, with the options' changes, as $T/NAME.zst
rebundle() {
        local name=$1 fixture=$2
        shift 2
        "$REBUNDLE" "fixtures/$fixture.zst" "$T/$name.zst" --subst "$FIX=$GONE_FIX" "$@" ||
                fail "rebundle $name"
}
mkdir -p "$T/store"
rebundle no-exe segv --subst "$LIB=$GONE_LIB" --drop "files/$EXE_ID"
rebundle no-files segv --subst "$LIB=$GONE_LIB" --drop 'files/*'
rebundle wrong-files segv --subst "$LIB=$GONE_LIB" --put "files/$EXE_ID=$T/files/$LIBC_ID" \
        --put "files/$LIBC_ID=$T/meta.json"
rebundle no-libc-other-local segv --subst "$LIB=$OTHER_LIB" --drop "files/$LIBC_ID" --drop "files/$LD_ID"
rebundle abort-no-libc abort --subst "$LIB=$GONE_LIB" --drop "files/$LIBC_ID" --drop "files/$LD_ID"
rebundle threads-no-files threads --subst "$LIB=$GONE_LIB" --drop 'files/*'

# analyse NAME INPUT [options]: text and JSON reports; exit 0 or 1 within 60 s
analyse() {
        local name=$1 input=$2
        shift 2
        local rc=0
        timeout 60 "$CI_BIN" "$@" "$input" > "$T/$name.txt" 2> "$T/$name.err" || rc=$?
        if [ "$rc" -gt 1 ]; then
                fail "$name: exit $rc (want 0 or 1): $(head -c 300 "$T/$name.err")"
                return 1
        fi
        rc=0
        timeout 60 "$CI_BIN" --json "$@" "$input" > "$T/$name.json" 2>> "$T/$name.err" || rc=$?
        if [ "$rc" -gt 1 ]; then
                fail "$name: --json exit $rc (want 0 or 1)"
                return 1
        fi
        if grep -q "Sanitizer\|runtime error" "$T/$name.err"; then
                fail "$name: $(cat "$T/$name.err")"
                return 1
        fi
        python3 tests/validate_report.py "$T/$name.json" || { fail "$name: schema"; return 1; }
}

# expect NAME PYTHON: asserts on the JSON report `d` (crash frames in `f`,
# the verdict in `c`, the text report in `text`)
expect() {
        local name=$1 code=$2
        python3 - "$T/$name.json" "$T/$name.txt" "$code" <<'PY' && pass "$name" || fail "$name: $(cat "$T/$name.err")"
import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
f = d["threads"][0]["frames"]
c = d["classification"]
def no_elf(frame, module, build_id):
    assert frame["function"] is None and not frame["module_elf"], frame
    assert frame["module"].endswith("/" + module) and frame["build_id"] == build_id, frame
    label = "%s+%s" % (module, frame["module_offset"])
    assert "?? (%s) [%s, build-id %s, ELF not found]" % (label, module, build_id) in text, label
    return label
def missing(*modules):
    ev = [e for e in c["evidence"] if e.startswith("ELF file not found for")]
    assert ev and all("/%s (build-id" % m in ev[0] for m in modules), c["evidence"]
try:
    exec(sys.argv[3])
except AssertionError as e:
    print("assertion:", e, file=sys.stderr)
    print(text, file=sys.stderr)
    raise
PY
}

ALL_GONE='
label = no_elf(f[0], "crash_segv", "'$EXE_ID'")
assert label == "crash_segv+0x117b", label
assert c["crash_frame"] == label, c["crash_frame"]
assert c["class"] == "null-deref" and c["confidence"] != "high", c
assert "ELF missing" in c["detail"], c["detail"]
missing("crash_segv", "libc.so.6", "ld-linux-x86-64.so.2")
'
# 1. a raw core whose executable and libraries are all gone
analyse raw-gone "$T/gone.core"
expect raw-gone "$ALL_GONE"

# 2. the same with --exe: the right file is used wherever it lies
analyse raw-exe "$T/gone.core" --exe "$T/files/$EXE_ID"
expect raw-exe '
assert [x["function"] for x in f[:2]] == ["store_through", "main"], f[:2]
assert f[0]["module_elf"] and f[0]["line"] == 8
assert c["crash_frame"] == "store_through" and c["class"] == "null-deref", c
missing("libc.so.6", "ld-linux-x86-64.so.2")
assert not any("/crash_segv (build-id" in e for e in c["evidence"]), c["evidence"]
'

# 3. --exe with another build-id is refused, with a message, and the
# analysis goes on without it
analyse raw-exe-wrong "$T/gone.core" --exe "$T/files/$LIBC_ID"
expect raw-exe-wrong "$ALL_GONE"
grep -q "has build-id $LIBC_ID, the core's executable has $EXE_ID: not used" "$T/raw-exe-wrong.err" ||
        fail "raw-exe-wrong: no message about the build-id: $(cat "$T/raw-exe-wrong.err")"

# 4. --exe naming nothing
analyse raw-exe-missing "$T/gone.core" --exe "$T/no-such-exe"
expect raw-exe-missing "$ALL_GONE"
grep -q "no-such-exe" "$T/raw-exe-missing.err" || fail "raw-exe-missing: no message"

# 5. a raw core whose libraries here have other build-ids (a package upgrade)
analyse raw-other-lib "$T/otherlib.core" --exe "$T/files/$EXE_ID"
expect raw-other-lib '
assert [x["function"] for x in f[:2]] == ["store_through", "main"], f[:2]
missing("libc.so.6", "ld-linux-x86-64.so.2")
assert all(m["elf"] is None for m in d["modules"] if m["name"].endswith(".so.6") or m["name"].endswith(".so.2")), d["modules"]
'

# 6. a bundle without the executable in files/
analyse no-exe "$T/no-exe.zst"
expect no-exe '
label = no_elf(f[0], "crash_segv", "'$EXE_ID'")
assert c["crash_frame"] == label and c["confidence"] != "high", c
missing("crash_segv")
assert f[3]["function"] == "__libc_start_main" and f[3]["module_elf"], f[2:4]
'

# 7. a bundle without files/
analyse no-files "$T/no-files.zst"
expect no-files "$ALL_GONE"

# 8. wrong files under the build-id names: another ELF, and not an ELF
analyse wrong-files "$T/wrong-files.zst"
expect wrong-files '
label = no_elf(f[0], "crash_segv", "'$EXE_ID'")
assert c["crash_frame"] == label and c["confidence"] != "high", c
missing("crash_segv", "libc.so.6")
'

# 9. libc and ld.so not in the bundle, and here with other build-ids
analyse no-libc-other-local "$T/no-libc-other-local.zst"
expect no-libc-other-local '
assert [x["function"] for x in f[:2]] == ["store_through", "main"], f[:2]
assert c["crash_frame"] == "store_through" and c["confidence"] == "high", c
missing("libc.so.6", "ld-linux-x86-64.so.2")
'

# 10. abort() inside a libc that is missing: the crash frame is in libc,
# so it is named libc.so.6+OFFSET, never a caller that merely looks named
analyse abort-no-libc "$T/abort-no-libc.zst"
expect abort-no-libc '
label = no_elf(f[0], "libc.so.6", "'"$(tar --zstd -xOf fixtures/abort.zst meta.json | python3 -c "import json,sys; print([m['build_id'] for m in json.load(sys.stdin)['mapped_files'] if m['path'].endswith('/libc.so.6')][0])")"'")
assert c["crash_frame"] == label and c["confidence"] != "high", c
missing("libc.so.6")
'

# 11. ten threads, nothing in files/
analyse threads-no-files "$T/threads-no-files.zst"
expect threads-no-files '
assert len(d["threads"]) == 10
assert f and f[0]["module_elf"] is False and c["confidence"] != "high", (f[:1], c)
'

# 12. the second unwinder on the same inputs (libunwind's coredump
# accessors, alone and cross-checked): a report, no signal
for input in "$T/gone.core" "$T/otherlib.core" "$T"/*.zst; do
        for u in libunwind both; do
                rc=0
                timeout 60 "$CI_BIN" --unwinder=$u "$input" > /dev/null 2> "$T/u.err" || rc=$?
                if [ "$rc" -gt 1 ] || grep -q "Sanitizer\|runtime error" "$T/u.err"; then
                        fail "--unwinder=$u $(basename "$input"): exit $rc: $(head -c 300 "$T/u.err")"
                fi
        done
done
pass "--unwinder=libunwind and both on every input: exit 0 or 1"

# 13. index over the rebuilt bundles: every one analysed, no signal
cp "$T"/*.zst "$T/store/"
rc=0
timeout 120 "$CI_BIN" index --db "$T/index.sqlite" "$T/store" > "$T/index.out" 2>&1 || rc=$?
[ "$rc" -le 1 ] && pass "index of $(ls "$T/store" | wc -l) bundles without their ELF files: exit $rc" ||
        fail "index: exit $rc: $(tail -n 5 "$T/index.out")"

echo "$failures failure(s)"
[ "$failures" = 0 ]
