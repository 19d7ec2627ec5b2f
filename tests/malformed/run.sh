#!/bin/bash
# Malformed bundle contents and inputs past the limits (issue 11, "Trust"):
# each hostile input, built by tests/malformed/hostile.c from a fixture,
# must give a report (exit 0/1) or one clear line on stderr and a documented
# exit code (2 bad input, 3 too large for the limits), never a signal, and
# within a generous timeout, never a hang. Memory is bounded by bound.sh.
# Usage: run.sh COREINSPECT HOSTILE
set -uo pipefail
CI_BIN=$1
HOSTILE=$2
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
ulimit -c 0 # a crash before a fix must not leave cores behind
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/malformed-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
ASAN=0
nm -D "$CI_BIN" 2>/dev/null | grep __asan_init > /dev/null && ASAN=1

export COREINSPECT_SYSTEM_DEBUG_DIR=
unset DEBUGINFOD_URLS COREINSPECT_DEBUG_DIRS

# analyze NAME WANT_RCS ARGS...: runs coreinspect with a 60 s timeout; the
# exit code must be one of WANT_RCS (e.g. "0 1"); a signal or the timeout
# fails. Output in $T/NAME.out and $T/NAME.err.
analyze() {
        local name=$1 want=$2
        shift 2
        local rc=0
        timeout -k 5 60 "$CI_BIN" "$@" > "$T/$name.out" 2> "$T/$name.err" < /dev/null || rc=$?
        if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
                fail "$name: still running after 60 s"
                return 1
        fi
        if [ "$rc" -gt 128 ]; then
                fail "$name: killed by signal $((rc - 128)): $(head -c 300 "$T/$name.err")"
                return 1
        fi
        if [[ " $want " != *" $rc "* ]]; then
                fail "$name: exit $rc, want one of: $want ($(head -c 300 "$T/$name.err"))"
                return 1
        fi
        return 0
}

# one_line NAME PATTERN: stderr is exactly one line matching PATTERN, no report
one_line() {
        local name=$1 pattern=$2
        if [ "$(wc -l < "$T/$name.err")" != 1 ] || ! grep -q -- "$pattern" "$T/$name.err"; then
                fail "$name: stderr should be one line matching '$pattern': $(head -c 600 "$T/$name.err")"
        elif [ -s "$T/$name.out" ]; then
                fail "$name: printed a report for bad input"
        else
                pass "$name: $(cat "$T/$name.err")"
        fi
}

gen() {
        "$HOSTILE" "$1" "$2" "$T/$1.zst" || fail "hostile $1: could not build the input"
}

# --- meta.json with null and wrong JSON types -------------------------------
gen meta-types fixtures/segv.zst
for u in libdwfl libunwind both; do
        analyze "meta-types-$u" "0 1" --unwinder=$u "$T/meta-types.zst" &&
                analyze "meta-types-json-$u" "0 1" --json --unwinder=$u "$T/meta-types.zst" &&
                python3 - "$T/meta-types-json-$u.out" <<'PY' && pass "meta.json with wrong types ($u): report" || fail "meta-types-$u: wrong report"
import json, sys
d = json.load(open(sys.argv[1]))
p = d["process"]
assert p["cmdline"] == "--ok", p["cmdline"]
assert d["threads"][0]["frames"][0]["function"] == "store_through", d["threads"][0]["frames"][0]
PY
done

# --- a malformed NT_FILE note: moved last, its size past the segment, a
# huge count (libunwind's note walker read past its buffer) --------------
gen ntfile-overlong fixtures/segv.zst
for u in libdwfl libunwind both; do
        analyze "ntfile-overlong-$u" "0 1" --unwinder=$u "$T/ntfile-overlong.zst" &&
                pass "malformed NT_FILE ($u): a report"
done

# --- the executable in files/ with program headers far outside it
# (libunwind followed them) ----------------------------------------------
gen phdr-corrupt fixtures/segv.zst
for u in libdwfl libunwind both; do
        analyze "phdr-corrupt-$u" "0 1" --unwinder=$u "$T/phdr-corrupt.zst" || continue
        if [ $u != libdwfl ] && ! grep -q "crash_segv.*not used: a program header points outside the file" "$T/phdr-corrupt-$u.err"; then
                fail "phdr-corrupt-$u: no message about the skipped file: $(cat "$T/phdr-corrupt-$u.err")"
        else
                pass "corrupt program headers in files/ ($u): report"
        fi
done

echo "$failures failure(s)"
[ "$failures" = 0 ]
