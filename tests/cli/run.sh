#!/bin/bash
# CLI tests of coreinspect on the fixtures (no root needed): stdout and the
# exit code compared with files in tests/cli/expected/, and bad inputs that
# must give one clear line and exit 2, never a crash.
# Usage: run.sh COREINSPECT CORECOLLECT [--update]
set -uo pipefail
CI_BIN=$1
CC_BIN=$2
UPDATE=${3:-}
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
cd "$(dirname "$0")/../.."
EXP=tests/cli/expected
T=$(mktemp -d /tmp/cli-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# Independent of the machine's debug packages and of any debuginfod.
export COREINSPECT_SYSTEM_DEBUG_DIR=
unset DEBUGINFOD_URLS COREINSPECT_DEBUG_DIRS
# and of its package database: the hints name a package only when dpkg owns
# the same path here with the crash's build-id (which the fixtures' libc has
# only on the machine that made them); with no dpkg database (and no dpkg on
# PATH) they are the same everywhere
NO_DPKG_PATH=/nonexistent
export DPKG_ADMINDIR=/nonexistent

# check NAME ARGS...: stdout and exit code against $EXP/NAME.out / NAME.rc
check() {
        local name=$1
        shift
        local rc=0
        # the crash frame's source from the clone's tests/programs, wherever
        # the fixtures were built (their DWARF paths may exist here or not)
        PATH=$NO_DPKG_PATH "$CI_BIN" --source-dir tests/programs "$@" > "$T/$name.out" 2> "$T/$name.err" || rc=$?
        if [ "$UPDATE" = --update ]; then
                cp "$T/$name.out" "$EXP/$name.out"
                echo "$rc" > "$EXP/$name.rc"
        fi
        if ! cmp -s "$T/$name.out" "$EXP/$name.out"; then
                fail "$name: output differs"
                diff -u "$EXP/$name.out" "$T/$name.out" | head -n 20 >&2
        elif [ "$rc" != "$(cat "$EXP/$name.rc")" ]; then
                fail "$name: exit $rc, want $(cat "$EXP/$name.rc"): $(cat "$T/$name.err")"
        else
                pass "$name"
        fi
}

# bad NAME PATTERN ARGS...: exit 2, exactly one line on stderr matching PATTERN, no stdout
bad() {
        local name=$1 pattern=$2
        shift 2
        local rc=0
        "$CI_BIN" "$@" > "$T/$name.out" 2> "$T/$name.err" || rc=$?
        if [ "$rc" != 2 ]; then
                fail "$name: exit $rc, want 2 ($(head -c 300 "$T/$name.err"))"
        elif [ "$(wc -l < "$T/$name.err")" != 1 ] || ! grep -q "$pattern" "$T/$name.err"; then
                fail "$name: stderr should be one line matching '$pattern': $(cat "$T/$name.err")"
        elif [ -s "$T/$name.out" ]; then
                fail "$name: printed a report for bad input"
        else
                pass "$name: $(cat "$T/$name.err")"
        fi
}

for f in segv threads inline lib abort; do
        check "$f" "fixtures/$f.zst"
        check "$f-json" --json "fixtures/$f.zst"
        python3 tests/validate_report.py "$T/$f-json.out" || fail "$f-json: schema"
done

# cross-check: libdwfl and libunwind (its coredump accessors) agree on
# every thread of every fixture, and libunwind alone gives the same frames
for f in segv threads inline lib abort; do
        "$CI_BIN" --json --unwinder=both "fixtures/$f.zst" > "$T/$f-both.json" 2>/dev/null
        "$CI_BIN" --json --unwinder=libunwind "fixtures/$f.zst" > "$T/$f-lu.json" 2>/dev/null
        python3 - "$T/$f-json.out" "$T/$f-both.json" "$T/$f-lu.json" <<'PY' && pass "$f: libdwfl and libunwind agree" || fail "$f: unwinders disagree"
import json, sys
dw, both, lu = (json.load(open(p)) for p in sys.argv[1:])
for t in both["threads"]:
    assert "disagreement" not in t, (t["tid"], t["disagreement"])
for a, b in zip(dw["threads"], lu["threads"]):
    fa = [(f["function"], f["pc"]) for f in a["frames"]]
    fb = [(f["function"], f["pc"]) for f in b["frames"]]
    assert fa == fb, (a["tid"], fa, fb)
    assert b["unwinder"] == "libunwind", b["unwinder"]
PY
done

# the classifier on real crashes of every class (fixtures/classes, made by
# tests/corpus/run.sh --keep): class and crash frame as expected.tsv says,
# without any debug package of this machine
while IFS=$'\t' read -r name want_class want_frame; do
        "$CI_BIN" --json "fixtures/classes/$name.zst" > "$T/class.json" 2>/dev/null
        got=$(python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['classification']; print(c['class']+'|'+(c['crash_frame'] or ''))" "$T/class.json")
        if [ "$got" = "$want_class|$want_frame" ]; then
                pass "classify $name: $want_class in $want_frame"
        else
                fail "classify $name: got $got, want $want_class|$want_frame"
        fi
done < fixtures/classes/expected.tsv

# a raw core and a plain zstd core (systemd-coredump style), with --exe taken
# from the bundle of the same crash program
tar --zstd -xf fixtures/segv.zst -C "$T" files meta.json
exe_id=$(python3 -c "import json; print([m['build_id'] for m in json.load(open('$T/meta.json'))['mapped_files'] if m['executable']][0])")
zstd -q -d -o "$T/core" fixtures/segv.core.zst
for input in "$T/core" fixtures/segv.core.zst; do
        rc=0
        "$CI_BIN" --json --exe "$T/files/$exe_id" "$input" > "$T/raw.json" 2> "$T/raw.err" || rc=$?
        [ "$rc" -le 1 ] || fail "raw core $input: exit $rc: $(cat "$T/raw.err")"
        python3 - "$T/raw.json" <<'PY' || fail "raw core $input: wrong frames"
import json, sys
d = json.load(open(sys.argv[1]))
f = [(x["function"], x["line"]) for x in d["threads"][0]["frames"][:2]]
assert f == [("store_through", 8), ("main", 21)], f
assert d["process"]["signal"] == 11 and d["process"]["siginfo"]["addr"] == "0x0"
assert d["bundle"]["kind"] in ("core", "zstd-core")
PY
        pass "raw/zstd core $(basename "$input") with --exe"
done

# bad input: one line, exit 2
bad missing "No such file" "$T/nope.zst"
printf 'hello, not a core\n' > "$T/text"
bad not-a-core "neither a bundle" "$T/text"
bad elf-not-core "not a core" "$CI_BIN"
head -c 300000 fixtures/segv.zst > "$T/cut.zst"
bad truncated-bundle "truncated" "$T/cut.zst"
cp fixtures/segv.zst "$T/flip.zst"
printf '\377\377\377\377' | dd of="$T/flip.zst" bs=1 seek=2000 conv=notrunc status=none
bad corrupt-frame "corrupt" "$T/flip.zst"
cp "$T/core" "$T/arm.core"
printf '\267\000' | dd of="$T/arm.core" bs=1 seek=18 conv=notrunc status=none # e_machine = EM_AARCH64
bad other-arch "machine 183" "$T/arm.core"
cp "$T/core" "$T/nonotes.core"
python3 - "$T/nonotes.core" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
phoff, = struct.unpack_from("<Q", b, 32)
phnum, = struct.unpack_from("<H", b, 56)
for i in range(phnum):
    o = phoff + 56 * i
    if struct.unpack_from("<I", b, o)[0] == 4:  # PT_NOTE: scribble over the notes
        off, size = struct.unpack_from("<QQ", b, o + 8)[0], struct.unpack_from("<Q", b, o + 32)[0]
        for k in range(off, off + size):
            b[k] = (k * 7919) & 0xFF
open(sys.argv[1], "wb").write(b)
PY
bad bogus-notes "no thread" "$T/nonotes.core"
# a bundle without a core member (as an OOM bundle would be)
mkdir -p "$T/nocore" && echo '{"format":1}' > "$T/nocore/meta.json"
tar -C "$T/nocore" -cf "$T/nocore.tar" meta.json
zstd -q --content-size -c "$T/nocore.tar" > "$T/nocore.zst"
python3 - "$T/nocore.zst" "$T/nocore.tar" <<'PY'
import os, struct, sys
c, d = os.path.getsize(sys.argv[1]), os.path.getsize(sys.argv[2])
with open(sys.argv[1], "ab") as f:
    f.write(struct.pack("<IIII", 0x184D2A5E, 8 + 9, c, d) + struct.pack("<IBI", 1, 0, 0x8F92EAB1))
PY
bad no-core-member "no core member" "$T/nocore.zst"
rc=0; "$CI_BIN" > /dev/null 2>&1 || rc=$?
[ "$rc" = 64 ] && pass "usage: exit 64" || fail "no arguments: exit $rc, want 64"
rc=0; "$CI_BIN" --unwinder=nope fixtures/segv.zst > /dev/null 2>&1 || rc=$?
[ "$rc" = 64 ] && pass "bad option: exit 64" || fail "bad --unwinder: exit $rc, want 64"

# a truncated core inside a valid bundle: whatever threads it can, exit 1
zstd -q -dc fixtures/segv.core.zst | head -c 12288 > "$T/short.core"
mkdir -p "$T/store"
"$CC_BIN" capture --store "$T/store" --set rate_burst=0 999999999 999999999 11 1 0 0 1 - short < "$T/short.core" 2>/dev/null
rc=0
"$CI_BIN" --exe "$T/files/$exe_id" "$T"/store/*.zst > "$T/short.out" 2> "$T/short.err" || rc=$?
if [ "$rc" = 1 ] && grep -q "^Thread [0-9]* (crashed):" "$T/short.out" && grep -q "Core truncated" "$T/short.out"; then
        pass "truncated core: partial report, exit 1"
else
        fail "truncated core: exit $rc: $(cat "$T/short.out" "$T/short.err")"
fi

# Hints come from dpkg's file lists read in-process: no dpkg-query per
# module (each loads the whole database), and none at all in index. A PATH
# of shims that count their runs; the fixtures' libc is this machine's on
# the machine that made them, so a package may be named there.
mkdir -p "$T/shim"
for prog in dpkg-query dpkg; do
        printf '#!/bin/sh\necho "$0 $*" >> %q\nexit 1\n' "$T/spawned" > "$T/shim/$prog"
        chmod +x "$T/shim/$prog"
done
rm -f "$T/spawned"
(unset DPKG_ADMINDIR; PATH=$T/shim "$CI_BIN" fixtures/lib.zst > "$T/hint-run.out" 2>&1)
grep -q 'get it: ' "$T/hint-run.out" || fail "hints: no 'get it:' line in the report"
(unset DPKG_ADMINDIR; PATH=$T/shim "$CI_BIN" index --db "$T/hints.sqlite" fixtures/lib.zst fixtures/segv.zst > /dev/null 2>&1)
if [ -s "$T/spawned" ]; then
        fail "hints ran dpkg programs: $(sort "$T/spawned" | uniq -c | head -n 5)"
else
        pass "hints and index ran no dpkg program"
fi

# capstone, libpq and libdebuginfod are loaded when a run needs them
# (dlopen), not at every start: their relocations cost a start some 15 ms
# of CPU on a VM (docs/performance.md, "Fleet index"). The dynamic loader
# names every file it loads (LD_DEBUG=files).
libs() { LD_DEBUG=files "$@" 2>&1 > /dev/null | grep -o "file=[^ ]*" | sed 's|^file=||; s|.*/||' | sort -u; }
start=$(libs "$CI_BIN" --version)
late=$(echo "$start" | grep -E "^lib(capstone|pq|debuginfod)\." | tr '\n' ' ')
report=$(libs "$CI_BIN" fixtures/segv.zst)
if ! echo "$start" | grep -q "^libc\.so"; then
        fail "LD_DEBUG=files names no library: $(echo "$start" | head -n 3)"
elif [ -n "$late" ]; then
        fail "loaded at start: $late"
elif ! echo "$report" | grep -q "^libcapstone\."; then
        fail "a report did not load capstone (its instruction decoding): $(echo "$report" | tr '\n' ' ')"
else
        pass "capstone, libpq and libdebuginfod not loaded at start; capstone loaded by a report"
fi

echo "$failures failure(s)"
[ "$failures" = 0 ]
