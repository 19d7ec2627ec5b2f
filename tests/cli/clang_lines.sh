#!/bin/bash
# Source lines and inline frames of a program built by clang 14, which
# writes no .debug_aranges by default: libdw 0.188 finds a CU only through
# them, so without analyze/cuindex.c every frame of such a program had no
# file:line and no inline frames. The core is written by gdb's gcore (no
# core_pattern needed); the program is built here, so nothing of an earlier
# run decides the result.
# Usage: clang_lines.sh COREINSPECT
set -uo pipefail
CI_BIN=$(readlink -f "$1")
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
cd "$(dirname "$0")/../.."
export COREINSPECT_SYSTEM_DEBUG_DIR=
unset DEBUGINFOD_URLS COREINSPECT_DEBUG_DIRS
command -v clang++ > /dev/null || { echo "clang++ missing"; exit 77; }
command -v gdb > /dev/null || { echo "gdb missing"; exit 77; }
OUT=$(mktemp -d "$(dirname "$CI_BIN")/clang_lines.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$OUT/series.cpp" <<'SRC'
#include <cstdio>
#include <vector>
struct Series { std::vector<double> *v; };
__attribute__((noinline)) void add_sample(Series *s, double x)
{
        s->v->push_back(x);
}
int main(int argc, char **argv)
{
        Series s{ nullptr };
        add_sample(&s, argc);
        std::printf("%zu\n", s.v->size());
}
SRC
clang++ -g -O2 -o "$OUT/series" "$OUT/series.cpp" || fail "clang++"
if readelf -S "$OUT/series" | grep -q debug_aranges; then
        echo "note: this clang wrote .debug_aranges; the test still checks the lines"
fi
timeout 120 gdb -q -nx -batch -ex run -ex "gcore $OUT/core" "$OUT/series" > "$OUT/gdb.out" 2>&1
[ -s "$OUT/core" ] || fail "gcore wrote no core: $(tail -5 "$OUT/gdb.out")"

"$CI_BIN" --json "$OUT/core" > "$OUT/json" 2> "$OUT/err"
rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "coreinspect exit $rc: $(cat "$OUT/err")"
# (clang names a source below the working directory relative to it)
python3 - "$OUT/json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in d["threads"] if t.get("crashed"))
fr = t["frames"]
def show():
    return "; ".join("%s %s:%s%s" % (f.get("function"), f.get("file"), f.get("line"), " (inlined)" if f.get("inline") else "")
                     for f in fr[:4])
assert fr[0].get("inline") and "push_back" in (fr[0].get("function") or ""), "no inline push_back frame: " + show()
assert (fr[0].get("file") or "").endswith("stl_vector.h"), "inline frame without its header: " + show()
f1 = fr[1]
assert (f1.get("function") or "").startswith("add_sample") and (f1.get("file") or "").endswith("/series.cpp") and f1.get("line") == 6, \
    "add_sample without series.cpp:6: " + show()
main = next(f for f in fr if (f.get("function") or "").startswith("main"))
assert (main.get("file") or "").endswith("/series.cpp") and main.get("line") == 11, "main without series.cpp:11: " + show()
c = d["classification"]
assert c["class"] == "null-deref" and "series.cpp:6" in c["detail"], c
PY
echo "ok: clang -O2 without .debug_aranges: push_back inlined at stl_vector.h, add_sample at series.cpp:6, main at :11"
