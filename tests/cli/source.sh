#!/bin/bash
# The crash frame's source lines: from --source-dir (before the DWARF
# path), escaped for the terminal when the file holds control bytes, in the
# JSON report (frames[].source, schema-checked), not shown for another
# version of the file (fewer lines than the frame's), and, where the DWARF
# path does not exist (a mount namespace hides it, as root), no lines and
# the same exit code without sources.
# Usage: source.sh COREINSPECT
set -uo pipefail
CI_BIN=$(readlink -f "$1")
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
cd "$(dirname "$0")/../.."
export COREINSPECT_SYSTEM_DEBUG_DIR=
unset DEBUGINFOD_URLS COREINSPECT_DEBUG_DIRS
OUT=$(mktemp -d "$(dirname "$CI_BIN")/source.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# lib.zst crashes at crashlib.c:8
mkdir "$OUT/src" "$OUT/old"
python3 - "$OUT/src/crashlib.c" <<'PY'
import sys
lines = [b"l1", b"l2", b"l3", b"l4", b"l5", b"\tsix", b"seven \x1b]0;title\x07",
         b"EIGHT \x1b[31mred\x1b[0m \xc2\x9b31m \xe2\x80\xae evil", b"nine", b"ten", b"eleven"]
open(sys.argv[1], "wb").write(b"\n".join(lines) + b"\n")
PY
printf 'one\ntwo\nthree\n' > "$OUT/old/crashlib.c"

"$CI_BIN" --source-dir "$OUT/src" fixtures/lib.zst > "$OUT/text" 2> /dev/null
grep -q '^      >     8 | EIGHT \\x1b\[31mred\\x1b\[0m \\xc2\\x9b31m \\xe2\\x80\\xae evil$' "$OUT/text" ||
        fail "escaped faulting line not shown: $(grep -A6 crashlib_sum "$OUT/text" | head -8)"
grep -q '^            6 |         six$' "$OUT/text" || fail "tab not expanded / context missing"
grep -q '^           10 | ten$' "$OUT/text" || fail "context after the line missing"
! grep -q 'eleven\|l5' "$OUT/text" || fail "more than two lines of context"
! LC_ALL=C grep -q $'\x1b\|\xc2\x9b\|\xe2\x80\xae' "$OUT/text" || fail "raw control bytes reached the terminal"
echo "ok: text: line 8 with 6-10, escaped"

"$CI_BIN" --json --source-dir "$OUT/src" fixtures/lib.zst > "$OUT/json" 2> /dev/null
python3 tests/validate_report.py "$OUT/json" || fail "schema"
python3 - "$OUT/json" "$OUT/src/crashlib.c" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in d["threads"] if t["crashed"])
s = t["frames"][0].get("source")
assert s and s["path"] == sys.argv[2] and s["first_line"] == 6 and len(s["lines"]) == 5, s
assert s["lines"][2].startswith("EIGHT \x1b[31m"), s["lines"][2]
assert all("source" not in f for f in t["frames"][1:]), "source on another frame"
print("ok: json: frames[0].source from", s["path"])
PY

"$CI_BIN" --json --source-dir "$OUT/old" --source-dir "$OUT/src" fixtures/lib.zst > "$OUT/json2" 2> /dev/null
python3 -c "
import json,sys
t=[t for t in json.load(open('$OUT/json2'))['threads'] if t['crashed']][0]
assert t['frames'][0]['source']['path'] == '$OUT/src/crashlib.c', t['frames'][0]['source']" || fail "a shorter file (another version) was used"
echo "ok: a file with fewer lines is skipped"

# no source anywhere: the DWARF path hidden when it exists here
rc0=0; "$CI_BIN" --source-dir "$OUT/src" fixtures/lib.zst > /dev/null 2>&1 || rc0=$?
dwarf=$(python3 -c "
import json
t=[t for t in json.load(open('$OUT/json'))['threads'] if t['crashed']][0]
print(t['frames'][0]['file'])")
dir=$(dirname "$dwarf")
if [ -e "$dir" ]; then
        if [ "$(id -u)" != 0 ] || ! unshare -m --propagation private true 2> /dev/null; then
                echo "ok: (no-source case skipped: $dir exists and no mount namespace)"
                exit 0
        fi
        unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs "$1" && shift && "$@"' sh "$dir" \
                "$CI_BIN" fixtures/lib.zst > "$OUT/nosrc" 2> /dev/null
        rc=$?
else
        rc=0; "$CI_BIN" fixtures/lib.zst > "$OUT/nosrc" 2> /dev/null || rc=$?
fi
[ "$rc" = "$rc0" ] || fail "without sources: exit $rc, with: $rc0"
! grep -q '^      [ >] *[0-9]* |' "$OUT/nosrc" || fail "source lines without a source"
grep -q 'crashlib_sum' "$OUT/nosrc" || fail "no report without sources"
echo "ok: without sources: the report, no lines, exit $rc"
