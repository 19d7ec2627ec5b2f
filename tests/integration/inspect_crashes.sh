#!/bin/bash
# coreinspect on real crashes captured through the real handler: inline
# frames, a 10-thread process crashing in a worker, a crash inside a shared
# library, and the same bundle analyzed after the binaries were deleted.
. "$(dirname "$0")/lib.sh"
install_handler

# 1. inline frames (-O2): poke and middle exist only in DWARF
crash "$PROGRAMS/crash_inline"
b=$(wait_bundle)
inspect "$b" "$T/inline"
frames_of "$T/inline.json" > "$T/inline.frames"
head -n 4 "$T/inline.frames" | tr '\n' '|' > "$T/inline.top"
grep -q "^poke crash_inline.c:8 inline|middle crash_inline.c:13 inline|outer crash_inline.c:18|main crash_inline.c:" "$T/inline.top" ||
        fail "inline frames wrong: $(cat "$T/inline.top")"
grep -q "poke (inlined) at .*crash_inline.c:8" "$T/inline.txt" || fail "text report lacks the inline frame"
[ "$(cat "$T/inline.rc")" = 0 ] || fail "inline: exit $(cat "$T/inline.rc")"
pass "inline frames poke > middle > outer > main"

# 2. ten threads, crash in a worker
rm -f "$STORE"/*.zst
crash "$PROGRAMS/crash_thread" 9
b=$(wait_bundle)
inspect "$b" "$T/threads"
python3 - "$T/threads.json" <<'PY' || fail "threads report wrong"
import json, sys
d = json.load(open(sys.argv[1]))
ts = d["threads"]
assert len(ts) == 10, len(ts)
assert ts[0]["crashed"] and not any(t["crashed"] for t in ts[1:]), "crashed flag"
assert ts[0]["tid"] == d["process"]["tid"] != d["process"]["pid"], "crashed tid"
names = [f["function"] for f in ts[0]["frames"]]
assert names[:2] == ["worker_fault", "worker"] and "start_thread" in names, names
for t in ts:
    assert t["frames"], t["tid"]
    assert t["error"] is None, (t["tid"], t["error"])
PY
grep -q "^Thread [0-9]* \"crash_thread\" (crashed):" "$T/threads.txt" || fail "crashed thread not first in text"
grep -q "^[0-9]* threads like this:" "$T/threads.txt" || fail "identical stacks not folded"
pass "10 threads, crashed worker first, identical stacks folded"

# 3. crash inside a shared library, then offline: binaries deleted
rm -f "$STORE"/*.zst
mkdir -p "$T/bin"
cp "$PROGRAMS/crash_in_lib" "$PROGRAMS/libcrashlib.so" "$T/bin/"
LD_LIBRARY_PATH=$T/bin crash "$T/bin/crash_in_lib"
b=$(wait_bundle)
inspect "$b" "$T/lib"
frames_of "$T/lib.json" | head -n 2 | tr '\n' '|' > "$T/lib.top"
grep -q "^crashlib_sum crashlib.c:8|main crash_in_lib.c:8|" "$T/lib.top" || fail "library frames wrong: $(cat "$T/lib.top")"
python3 -c "
import json,sys; d=json.load(open('$T/lib.json'))
f=d['threads'][0]['frames'][0]
assert f['module'].endswith('/libcrashlib.so') and len(f['build_id'])==40, f
" || fail "frame module/build-id wrong"
rm -rf "$T/bin"
inspect "$b" "$T/offline"
frames_of "$T/lib.json" > "$T/lib.frames"
frames_of "$T/offline.json" > "$T/offline.frames"
cmp -s "$T/lib.frames" "$T/offline.frames" || fail "offline frames differ: $(diff "$T/lib.frames" "$T/offline.frames")"
python3 -c "
import json; d=json.load(open('$T/offline.json'))
m=[m for m in d['modules'] if m['name'].endswith('libcrashlib.so')][0]
assert m['elf_source']=='bundle', m
" || fail "offline: library not read from the bundle's files/"
pass "crash in libcrashlib.so; same frames offline from files/"

# 4. a smashed stack: the unwinders stop at the overwritten return address;
# the stack scan finds the frames above, marked as such
rm -f "$STORE"/*.zst
crash "$PROGRAMS/crash_smash"
b=$(wait_bundle)
inspect "$b" "$T/smash"
[ "$(cat "$T/smash.rc")" = 1 ] || fail "smashed stack: exit $(cat "$T/smash.rc"), want 1 (partial)"
python3 - "$T/smash.json" <<'PY' || fail "smashed stack: frames wrong"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["threads"][0]
fr = t["frames"]
assert fr[0]["function"] == "smash" and fr[0]["origin"] == "cfi", fr[0]
assert t["error"], "no unwinding error recorded"
scan = [f for f in fr if f["origin"] == "scan"]
assert scan and any(f["module"] and f["module"].endswith("libc.so.6") for f in scan), fr
PY
grep -q "(found by stack scan)" "$T/smash.txt" || fail "text report does not mark scanned frames"
pass "smashed stack: libdwfl stops, stack scan frames marked"

# 4b. a jump to 0x10 from a stack of pointers into the program's writable
# data that look like return addresses (the bytes before them end like a
# call): no frame for them, they are not in executable memory
rm -f "$STORE"/*.zst
crash "$PROGRAMS/crash_decoy"
b=$(wait_bundle)
inspect "$b" "$T/decoy"
decoy_off=$(nm "$PROGRAMS/crash_decoy" | awk '$3 == "crash_decoy_data" {print $1}')
[ -n "$decoy_off" ] || fail "no crash_decoy_data in crash_decoy"
python3 - "$T/decoy.json" "$decoy_off" <<'PY' || fail "decoy: frames wrong: $(head -n 30 "$T/decoy.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
off = int(sys.argv[2], 16) + 8
fr = d["threads"][0]["frames"]
assert fr and int(fr[0]["pc"], 16) == 0x10, fr[:1]
for f in fr:
    assert "decoy" not in (f["function"] or ""), f
    assert not ((f["module"] or "").endswith("/crash_decoy") and int(f["module_offset"], 16) == off), f
PY
# the caller only a stack scan found is a guess, and the verdict says so
grep -q "the caller is perhaps " "$T/decoy.txt" || fail "decoy: the verdict states a scanned caller as fact: $(head -n 3 "$T/decoy.txt")"
pass "wild jump over a stack of data pointers that look like return addresses: none taken for a frame"

# 5. signatures: the same bug crashed again (another pid, other addresses,
# another worker count) has the same one; other bugs have others; the
# offline analysis (binaries deleted) gives the same one as the first
rm -f "$STORE"/*.zst
crash "$PROGRAMS/crash_thread" 4
b=$(wait_bundle)
inspect "$b" "$T/threads2"
sig() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['signature'])" "$1"; }
s1=$(sig "$T/threads.json") s2=$(sig "$T/threads2.json")
[[ "$s1" =~ ^[0-9a-f]{16}$ ]] || fail "signature '$s1' is not 16 hex digits"
[ "$s1" = "$s2" ] || fail "same bug, two signatures: $s1 $s2"
[ "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['process']['pid'])" "$T/threads.json")" != \
  "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['process']['pid'])" "$T/threads2.json")" ] || fail "same pid?"
[ "$(sig "$T/lib.json")" = "$(sig "$T/offline.json")" ] || fail "offline analysis changed the signature"
n=$(for r in threads inline lib smash; do sig "$T/$r.json"; done | sort -u | wc -l)
[ "$n" = 4 ] || fail "four bugs, $n signatures"
grep -q "^Signature: $s1 (v1|null-deref|crash_thread|sig11|worker_fault|worker)$" "$T/threads.txt" ||
        fail "text report signature: $(grep Signature "$T/threads.txt")"
pass "signature $s1 twice for the same bug, 4 for 4 bugs, unchanged offline"
