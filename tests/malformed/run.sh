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
# under the sanitizers a finding must not pass for exit 1 (partial report)
if nm -D "$CI_BIN" 2>/dev/null | grep __asan_init > /dev/null; then
        export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86
        export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1:exitcode=86
fi

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
        if grep -q "runtime error:\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer" "$T/$name.err"; then
                fail "$name: sanitizer: $(grep -m1 "runtime error:\|ERROR: " "$T/$name.err")"
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
        analyze "meta-types-$u" "0 1" --unwinder=$u "$T/meta-types.zst" || continue
        analyze "meta-types-json-$u" "0 1" --json --unwinder=$u "$T/meta-types.zst" || continue
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

# --- 200,000 NT_FILE entries (module lookup was quadratic: minutes), as data
# files and as ELF files (libdwfl's reporting is quadratic: capped) --------
for m in ntfile-200k ntfile-200k-elf; do
        gen $m fixtures/segv.zst
        for u in libdwfl both; do
                analyze "$m-$u" "0 1" --unwinder=$u "$T/$m.zst" || continue
                if ! grep -q "^  #0 .* store_through+0x12 " "$T/$m-$u.out"; then
                        fail "$m-$u: the crashing frame is lost: $(head -c 600 "$T/$m-$u.out")"
                elif [ $m = ntfile-200k-elf ] && ! grep -q "^Warning: the core maps 183619 more ELF files than the limit of 16384" "$T/$m-$u.out"; then
                        fail "$m-$u: no warning about the modules left out"
                else
                        pass "$m ($u): report within 60 s"
                fi
        done
done

# --- 180,000 threads, half of them with a pc of their own (5 minutes: tid
# search, thread names, folding were quadratic; every thread was unwound) --
gen threads-180k fixtures/segv.zst
for u in libdwfl both; do
        analyze "threads-180k-$u" "1" --unwinder=$u "$T/threads-180k.zst" || continue
        [ $u = libdwfl ] || { pass "180k threads ($u): report within 60 s"; continue; }
        analyze "threads-180k-json-$u" "1" --json --unwinder=$u "$T/threads-180k.zst" || continue
        python3 - "$T/threads-180k-json-$u.out" "$T/threads-180k-$u.out" <<'PY' && pass "180k threads ($u): report within 60 s" || fail "threads-180k-$u: wrong report"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["threads"]
assert len(t) == 180001, len(t)
assert t[0]["frames"][0]["function"] == "store_through", t[0]["frames"][0]
assert t[4095]["error"] is None or "not unwound" not in t[4095]["error"], t[4095]
assert t[4096]["error"] == "not unwound: more threads than --max-threads (4096)", t[4096]["error"]
assert len(t[4096]["frames"]) == 1
assert any("only the first 4096 of 180001 threads were unwound" in w for w in d["warnings"]), d["warnings"]
text = open(sys.argv[2]).read()
# the even threads share a stack (one group among those unwound, one past
# the limit); the odd ones each have their own
assert "\n2048 threads like this: 2000000 2000002 " in text
assert "\n87952 threads like this: 2004096 2004098 " in text
assert "\nThread 2179999:\n" in text
PY
done

# --- FIFOs: as the input, in a directory given to index, as --db (each
# waited forever for a writer), as --exe ----------------------------------
mkfifo "$T/fifo.zst" "$T/fifo.db"
mkdir -p "$T/store" && mkfifo "$T/store/core.x.1.2.zst"
analyze fifo-input "2" "$T/fifo.zst" && one_line fifo-input "not a regular file"
analyze fifo-exe "0 1" --exe "$T/fifo.zst" fixtures/segv.zst && pass "FIFO as --exe: a report"
if analyze fifo-in-dir "1" index --db "$T/index.sqlite" "$T/store"; then
        grep -q "core.x.1.2.zst: not a regular file" "$T/fifo-in-dir.err" && pass "FIFO in an index directory: not indexed" ||
                fail "fifo-in-dir: $(cat "$T/fifo-in-dir.err")"
fi
analyze fifo-db "2" index --db "$T/fifo.db" fixtures/segv.zst && one_line fifo-db "not a regular file"
analyze fifo-db-trends "2" trends --db "$T/fifo.db" && one_line fifo-db-trends "not a regular file"

# --- limits: a small bundle of 1 GiB frames (the frame cache grew to 5 GB,
# then "corrupt"); a zstd core past --max-zstd; a zstd file that is no core
# (decompressed up to --max-zstd before its header was looked at) ---------
"$HOSTILE" big-frames - "$T/big-frames.zst" || fail "hostile big-frames: could not build the input"
analyze big-frames "3" "$T/big-frames.zst" && one_line big-frames "too large for the limits"
mkdir -p "$T/big" && cp "$T/big-frames.zst" "$T/big/core.big.1.2.zst"
if analyze big-frames-index "1" index --db "$T/index.sqlite" "$T/big"; then
        grep -q "too large for the limits" "$T/big-frames-index.err" &&
                pass "index: a bundle too large for the limits is not indexed" ||
                fail "big-frames-index: $(cat "$T/big-frames-index.err")"
fi
analyze zstd-max "3" --max-zstd 100K fixtures/segv.core.zst && one_line zstd-max "too large for the limits.*--max-zstd"
head -c 3000000 /dev/zero | tr '\0' 'x' | zstd -q -c > "$T/notcore.zst"
analyze zstd-not-core "2" --max-zstd 1M "$T/notcore.zst" && one_line zstd-not-core "does not hold an ELF core"

echo "$failures failure(s)"
[ "$failures" = 0 ]
