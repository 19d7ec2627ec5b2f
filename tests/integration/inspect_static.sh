#!/bin/bash
# A static executable crashes through the real handler; then it is moved
# away and its crash analysed without it: from the bundle without files/,
# and from the raw core (the bundle's core member), with and without --exe.
# A static core has no shared object whose file could stand in for the
# machine or the symbols: before find_elf, every one of these died with
# SIGSEGV in libdwfl.
. "$(dirname "$0")/lib.sh"
: "${REBUNDLE:?}"
[ -x "$PROGRAMS/crash_segv_static" ] || skip "no static victim in this build (sanitizers)"
ulimit -S -c 0 # for the analyzer run here (soft only: crash() raises it for the victim)
install_handler

mkdir -p "$T/bin"
cp "$PROGRAMS/crash_segv_static" "$T/bin/"
crash "$T/bin/crash_segv_static"
b=$(wait_bundle)

# frames NAME PYTHON: asserts on the JSON report (frames `f`, verdict `c`)
frames() {
        python3 - "$T/$1.json" "$2" <<'PY' || fail "$1: $(cat "$T/$1.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["threads"][0]["frames"]
c = d["classification"]
exec(sys.argv[2])
PY
}

# 1. with everything at hand: the bundle's files/
inspect "$b" "$T/present"
frames present '
assert [x["function"] for x in f[:2]] == ["store_through", "main"], f[:3]
assert c["class"] == "null-deref" and c["crash_frame"] == "store_through" and c["confidence"] == "high", c
'
pass "static executable, bundle with files/: store_through > main"
exe_id=$(json_get "$T/present.json" 'd["threads"][0]["frames"][0]["build_id"]')

# the executable moves away: nothing on this machine has its build-id
mv "$T/bin/crash_segv_static" "$T/moved"
NO_ELF='
assert f and f[0]["function"] is None and f[0]["module_elf"] is False, f[:1]
assert f[0]["build_id"] == "'$exe_id'", f[0]
label = "crash_segv_static+" + f[0]["module_offset"]
assert c["crash_frame"] == label and c["class"] == "null-deref" and c["confidence"] != "high", c
assert any(e.startswith("ELF file not found for 1 module: ") and "crash_segv_static" in e for e in c["evidence"]), c["evidence"]
'

# 2. the bundle without files/
"$REBUNDLE" "$b" "$T/nofiles.zst" --drop 'files/*' || fail "rebundle"
inspect "$T/nofiles.zst" "$T/nofiles"
frames nofiles "$NO_ELF"
grep -q "crash_segv_static+0x[0-9a-f]*) \[crash_segv_static, build-id $exe_id, ELF not found\]" "$T/nofiles.txt" ||
        fail "text frame without module+offset and build-id: $(cat "$T/nofiles.txt")"
pass "static executable moved, bundle without files/: exit $(cat "$T/nofiles.rc"), frames as module+offset"

# 3. the raw core
tar --zstd -xOf "$b" core > "$T/raw.core" || fail "no core member"
inspect "$T/raw.core" "$T/raw"
frames raw "$NO_ELF"
pass "static executable moved, raw core: exit $(cat "$T/raw.rc")"

# 4. the raw core with --exe where the executable went
inspect "$T/raw.core" "$T/raw-exe" --exe "$T/moved"
frames raw-exe '
assert [x["function"] for x in f[:2]] == ["store_through", "main"], f[:3]
assert c["crash_frame"] == "store_through" and c["confidence"] == "high", c
'
pass "static executable moved, raw core with --exe: store_through > main"
