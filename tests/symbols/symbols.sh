#!/bin/bash
# symbols/ against real files: a program built by gcc with a build-id, its
# debug info split off with objcopy/strip and laid out the ways debuggers
# find it (.build-id tree, COREINSPECT_DEBUG_DIRS, .gnu_debuglink next to
# the file, in .debug/, under a debug root), plus files with the wrong
# build-id that must be refused.
# Usage: symbols.sh SYMFIND. Exit 77 (skip) without gcc/objcopy/strip.
set -eu

symfind=$1
for t in gcc objcopy strip; do
        command -v "$t" >/dev/null || { echo "SKIP: needs $t"; exit 77; }
done

T=$(mktemp -d /tmp/symbols-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
unset COREINSPECT_DEBUG_DIRS DEBUGINFOD_URLS

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# expect "WANT" CMD...: runs symfind, compares its stdout and its exit code
# (1 for the "not found" answers, 2 for "Bad message", else 0).
expect() {
        local want=$1 got rc=0
        shift
        got=$("$symfind" "$@" 2>"$T/err") || rc=$?
        if [ "$got" != "$want" ]; then
                cat "$T/err" >&2
                fail "symfind $*: got '$got' (exit $rc), want '$want'"
        fi
        local want_rc=0
        case "$want" in
        none | no | "No such file or directory") want_rc=1 ;; # -ENOENT
        "Bad message") want_rc=2 ;;                           # -EBADMSG
        esac
        [ "$rc" = "$want_rc" ] || fail "symfind $*: exit $rc, want $want_rc"
}

# A program, and a second one that differs only in a string: same layout,
# another build-id.
mkdir -p "$T/bin" "$T/src"
cat > "$T/src/prog.c" <<'C'
#include <stdio.h>
static int square(int x) { return x * x; }
int main(int argc, char **argv) { printf("%s %d\n", VARIANT, square(argc)); return 0; }
C
gcc -g -O1 -Wl,--build-id -DVARIANT='"one"' -o "$T/bin/prog" "$T/src/prog.c"
gcc -g -O1 -Wl,--build-id -DVARIANT='"two"' -o "$T/other" "$T/src/prog.c"

id=$("$symfind" build-id "$T/bin/prog")
other_id=$("$symfind" build-id "$T/other")
[ "$id" != "$other_id" ] || fail "both programs have build-id $id"
# Our reading agrees with binutils'.
readelf -n "$T/bin/prog" | grep -q "Build ID: $id\$" || fail "build-id $id not what readelf says"
pass "build-id $id"

expect yes has-debug-info "$T/bin/prog"
expect "self $T/bin/prog" debuginfo "$id" "$T/bin/prog"
pass "unstripped program is its own debug info"

# Split: prog.debug keeps only debug info; prog loses it and gets a debuglink.
objcopy --only-keep-debug "$T/bin/prog" "$T/prog.debug"
strip --strip-debug "$T/bin/prog"
objcopy --add-gnu-debuglink="$T/prog.debug" "$T/bin/prog"
objcopy --only-keep-debug "$T/other" "$T/other.debug"
[ "$("$symfind" build-id "$T/bin/prog")" = "$id" ] || fail "strip changed the build-id"
[ "$("$symfind" build-id "$T/prog.debug")" = "$id" ] || fail "debug file has another build-id"
expect no has-debug-info "$T/bin/prog"
expect yes has-debug-info "$T/prog.debug"
expect prog.debug debuglink "$T/bin/prog"
expect "No such file or directory" debuglink "$T/other"
expect "Bad message" build-id "$T/src/prog.c"
pass "split debug info"

# Nothing anywhere yet (the debug file sits in $T, not next to the program).
expect none debuginfo "$id" "$T/bin/prog" --debuglink prog.debug
pass "nothing found when there is nothing"

# A .build-id tree: ROOT/.build-id/xx/rest.debug
tree() { # tree ROOT ID FILE
        mkdir -p "$1/.build-id/${2:0:2}"
        cp "$3" "$1/.build-id/${2:0:2}/${2:2}.debug"
}
tree "$T/sysdebug" "$id" "$T/prog.debug"
tree "$T/dbgA" "$id" "$T/prog.debug"
sys_file=$T/sysdebug/.build-id/${id:0:2}/${id:2}.debug
a_file=$T/dbgA/.build-id/${id:0:2}/${id:2}.debug
expect "system-debug $sys_file" debuginfo "$id" "$T/bin/prog" --system-dir "$T/sysdebug"
expect "debug-dir $a_file" debuginfo "$id" "$T/bin/prog" --debug-dir "$T/dbgA"
# The system dir comes before the debug dirs.
expect "system-debug $sys_file" debuginfo "$id" "$T/bin/prog" --debug-dir "$T/dbgA" --system-dir "$T/sysdebug"
# Without a path or debuglink the build-id alone is enough.
expect "debug-dir $a_file" debuginfo "$id" - --debug-dir "$T/dbgA"
pass ".build-id tree in the system dir and in --debug-dir"

# COREINSPECT_DEBUG_DIRS: read with --env only, after --debug-dir, empty
# entries ignored.
mkdir -p "$T/empty"
expect none debuginfo "$id" "$T/bin/prog"
COREINSPECT_DEBUG_DIRS="::$T/empty:$T/dbgA:" expect "debug-dir $a_file" debuginfo "$id" "$T/bin/prog" --env
COREINSPECT_DEBUG_DIRS="$T/dbgA" expect none debuginfo "$id" "$T/bin/prog"
pass "COREINSPECT_DEBUG_DIRS"

# A wrong debug file in the tree under our build-id is refused, and the
# search goes on to the next dir.
tree "$T/dbgBad" "$id" "$T/other.debug"
expect none debuginfo "$id" "$T/bin/prog" --debug-dir "$T/dbgBad"
expect "debug-dir $a_file" debuginfo "$id" "$T/bin/prog" --debug-dir "$T/dbgBad" --debug-dir "$T/dbgA"
# A stripped executable placed as ID.debug has the build-id but no .debug_info.
tree "$T/dbgStripped" "$id" "$T/bin/prog"
expect none debuginfo "$id" "$T/bin/prog" --debug-dir "$T/dbgStripped"
# Asking for the other program's build-id finds nothing in our tree.
expect none debuginfo "$other_id" - --debug-dir "$T/dbgA"
pass "mismatched build-id and non-debug files are rejected"

# .gnu_debuglink: next to the file, in .debug/, under a debug root.
cp "$T/prog.debug" "$T/bin/prog.debug"
expect "local $T/bin/prog.debug" debuginfo "$id" "$T/bin/prog" --debuglink prog.debug
# Without a build-id too (nothing to verify: first file with .debug_info).
expect "local $T/bin/prog.debug" debuginfo - "$T/bin/prog" --debuglink prog.debug
rm "$T/bin/prog.debug"
mkdir -p "$T/bin/.debug"
cp "$T/prog.debug" "$T/bin/.debug/prog.debug"
expect "local $T/bin/.debug/prog.debug" debuginfo "$id" "$T/bin/prog" --debuglink prog.debug
rm -r "$T/bin/.debug"
mkdir -p "$T/root$T/bin"
cp "$T/prog.debug" "$T/root$T/bin/prog.debug"
expect "debug-dir $T/root$T/bin/prog.debug" debuginfo "$id" "$T/bin/prog" --debuglink prog.debug --debug-dir "$T/root"
expect "system-debug $T/root$T/bin/prog.debug" debuginfo "$id" "$T/bin/prog" --debuglink prog.debug --system-dir "$T/root"
# The debuglink of the wrong file is refused; a name with a slash is ignored.
cp "$T/other.debug" "$T/bin/prog.debug"
expect none debuginfo "$id" "$T/bin/prog" --debuglink prog.debug
expect none debuginfo "$id" "$T/bin/prog" --debuglink "../prog.debug"
rm "$T/bin/prog.debug"
# A path with .. is not put under a root.
expect none debuginfo "$id" "$T/bin/../bin/prog" --debuglink prog.debug --debug-dir "$T/root"
pass ".gnu_debuglink next to the file, in .debug/, under a root"

# find_elf: the local file (build-id checked), and the executable link of a
# .build-id tree (ROOT/.build-id/xx/rest, no .debug).
expect "local $T/bin/prog" elf "$id" "$T/bin/prog"
expect "local $T/bin/prog" elf - "$T/bin/prog"
expect none elf "$other_id" "$T/bin/prog"
expect none elf "$id" "$T/other"
expect none elf "$id" "$T/nonexistent"
mkdir -p "$T/exetree/.build-id/${id:0:2}"
cp "$T/bin/prog" "$T/exetree/.build-id/${id:0:2}/${id:2}"
expect "debug-dir $T/exetree/.build-id/${id:0:2}/${id:2}" elf "$id" "$T/nonexistent" --debug-dir "$T/exetree"
expect "system-debug $T/exetree/.build-id/${id:0:2}/${id:2}" elf "$id" - --system-dir "$T/exetree"
# The local file with the wrong build-id is passed over for the right one.
expect "debug-dir $T/exetree/.build-id/${id:0:2}/${id:2}" elf "$id" "$T/other" --debug-dir "$T/exetree"
# A debug-only file is not an executable, even under the right name.
mkdir -p "$T/exebad/.build-id/${id:0:2}"
cp "$T/prog.debug" "$T/exebad/.build-id/${id:0:2}/${id:2}"
expect none elf "$id" - --debug-dir "$T/exebad"
pass "find_elf: local path and .build-id executable links, build-id checked"

# A file without a build-id.
objcopy --remove-section .note.gnu.build-id "$T/other" "$T/noid"
expect "No such file or directory" build-id "$T/noid"
expect "local $T/noid" elf - "$T/noid"
expect none elf "$other_id" "$T/noid"
pass "file without build-id"

# symbols_elf_inflate: the zlib-compressed sections of a debug file, inflated
# into a copy whose every section has the same bytes as the uncompressed
# file's (what libdw reads), build-id and program headers included.
# -O2 and a loop: location lists too
cat > "$T/src/loop.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
__attribute__((noinline)) static long work(long n)
{
        long s = 0;
        for (long i = 0; i < n; i++) {
                s += rand();
                printf("%ld\n", s);
        }
        return s;
}
int main(int argc, char **argv) { return (int)work(argc > 1 ? atol(argv[1]) : 3); }
C
gcc -g -O2 -Wl,--build-id -o "$T/loop" "$T/src/loop.c"
loop_id=$("$symfind" build-id "$T/loop")
objcopy --only-keep-debug "$T/loop" "$T/prog.debug"
readelf -S "$T/prog.debug" | grep -q ' \.debug_loclists ' || fail "gcc -O2 made no .debug_loclists"
objcopy --compress-debug-sections=zlib-gabi "$T/prog.debug" "$T/prog.zdebug"
readelf -S "$T/prog.zdebug" | grep -A1 ' \.debug_info ' | grep -q ' C ' || fail "objcopy did not compress .debug_info"
expect inflated inflate "$T/prog.zdebug" "$T/prog.inflated"
[ "$("$symfind" build-id "$T/prog.inflated")" = "$loop_id" ] || fail "inflated copy has another build-id"
expect yes has-debug-info "$T/prog.inflated"
# (the table itself: readelf's section-to-segment mapping counts the
# NOBITS left in place of location lists)
readelf -lW "$T/prog.debug" 2>/dev/null | sed '/Section to Segment/q' > "$T/ph.want"
readelf -lW "$T/prog.inflated" 2>/dev/null | sed '/Section to Segment/q' > "$T/ph.got"
grep -q LOAD "$T/ph.want" || fail "no program headers read"
cmp -s "$T/ph.want" "$T/ph.got" || fail "program headers differ: $(diff "$T/ph.want" "$T/ph.got")"
# every section of the copy holds the bytes of the compressed file's (the
# uncompressed file's where it was compressed), but for location lists
python3 - "$T/prog.debug" "$T/prog.zdebug" "$T/prog.inflated" <<'PY' || fail "sections differ in the inflated copy"
import subprocess, sys
def sections(path):
    out = subprocess.run(["readelf", "-SW", path], capture_output=True, text=True, check=True).stdout
    data = open(path, "rb").read()
    secs = {}
    for line in out.splitlines():
        if not line.strip().startswith("[") or "]" not in line:
            continue
        f = line.split("]", 1)[1].split()
        if len(f) < 7 or f[1] in ("NOBITS", "NULL", "Type"):
            continue
        off, size = int(f[3], 16), int(f[4], 16)
        secs[f[0]] = (data[off:off + size], "C" in f[6] if len(f) > 7 else False)
    return secs
plain, comp, got = (sections(p) for p in sys.argv[1:])
# compressed location lists are left out (NOBITS): nothing reads them
dropped = set(comp) - set(got)
assert dropped == {".debug_loclists"} and all(comp[d][1] for d in dropped), dropped
assert set(got) <= set(comp), (sorted(comp), sorted(got))
n = 0
for name, (b, compressed) in comp.items():
    if name in dropped:
        continue
    want = plain[name][0] if compressed else b
    assert got[name][0] == want, name
    assert not got[name][1], name + " still compressed"
    n += compressed
assert n >= 3, "only %d compressed sections" % n
print("ok: %d sections, %d were compressed, left out: %s" % (len(comp), n, sorted(dropped) or "none"))
PY
readelf -wil "$T/prog.debug" > "$T/dw.want"
readelf -wil "$T/prog.inflated" > "$T/dw.got"
cmp -s "$T/dw.want" "$T/dw.got" || fail "readelf -wil differs on the inflated copy"
# nothing compressed: no copy; a stream cut short: refused, not half inflated
expect none inflate "$T/prog.debug" "$T/unused"
# debug_info_patched SRC DST garble|SIZE: DST, a copy of SRC whose
# compressed .debug_info keeps its compression header (24 bytes) and is
# garbled after the stream's first 2 bytes (garble), or whose header claims
# SIZE bytes (Elf64_Chdr.ch_size)
debug_info_patched() {
        python3 - "$@" <<'PY'
import struct, subprocess, sys
src, dst, how = sys.argv[1:4]
data = bytearray(open(src, "rb").read())
out = subprocess.run(["readelf", "-SW", src], capture_output=True, text=True).stdout
for line in out.splitlines():
    if " .debug_info " in line:
        f = line.split("]", 1)[1].split()
        off, size = int(f[3], 16), int(f[4], 16)
        if how == "garble":
            for i in range(off + 24 + 2, off + size):
                data[i] = 0xff
        else:
            struct.pack_into("<Q", data, off + 8, int(how))
open(dst, "wb").write(data)
PY
}
debug_info_patched "$T/prog.zdebug" "$T/prog.cut" garble
expect "Bad message" inflate "$T/prog.cut" "$T/unused"
# a header claiming 1 GiB: nothing allocated for it, left to libdw
debug_info_patched "$T/prog.zdebug" "$T/prog.big" $((1 << 30))
expect none inflate "$T/prog.big" "$T/unused"
pass "compressed debug sections inflated for libdw: same bytes, same build-id"
