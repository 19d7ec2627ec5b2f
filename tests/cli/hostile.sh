#!/bin/bash
# A crash whose process facts are hostile (no root needed): the exe path,
# comm, argv, thread name and host of a real bundle are replaced by shell
# metacharacters, escape sequences, newlines and invalid UTF-8
# (hostile_bundle.py). Then:
# - no control byte (ESC above all) reaches stdout, from the text report or
#   from `corecollect list`;
# - every next step of the report, run by bash (and by dash) with every
#   command replaced by a stub that records its arguments, executes nothing
#   the process chose, and gives the program back its arguments byte for
#   byte;
# - the JSON report and `list --json` keep the exact bytes.
# (tests/integration/inspect_hostile.sh does the same with a real crash.)
# Usage: hostile.sh COREINSPECT CORECOLLECT
set -uo pipefail
CI_BIN=$1
CC_BIN=$2
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
cd "$(dirname "$0")/../.."
T=$(mktemp -d /tmp/hostile-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
export COREINSPECT_SYSTEM_DEBUG_DIR=
unset DEBUGINFOD_URLS COREINSPECT_DEBUG_DIRS

mkdir -p "$T/bin" "$T/store"
evil=$'evil \x1b[31m;$(touch PWNED-exe)`touch PWNED-exe2`\'"\n\xff'
argv0=$'--argv0\x1b[2J'
args=('x; touch PWNED-1 #' '$(touch PWNED-2)' '`touch PWNED-3`' "it's \"quoted\"" $'two\nlines; touch PWNED-4'
      $'tab\there' $'\xff\xfe not utf-8' '' '-rf' $'\x1b]0;title\x07' '*' '$HOME' '!!' 'A=b' $'\xc2\x9b31m C1'
      $'caf\xc3\xa9 \xe2\x80\xae')
python3 tests/cli/hostile_bundle.py fixtures/segv.zst "$T/evil.zst" --exe "$T/bin/$evil" \
        --comm $'\x1b[2Jcomm\n' --thread-name $'\x1b]0;thread\x07' --host $'host\x1b[5m' \
        -- "$argv0" "${args[@]}" || fail "cannot build the hostile bundle"

rc=0
"$CI_BIN" "$T/evil.zst" > "$T/report.txt" 2> "$T/report.err" || rc=$?
[ "$rc" -le 1 ] || fail "text report: exit $rc: $(cat "$T/report.err")"
rc=0
"$CI_BIN" --json "$T/evil.zst" > "$T/report.json" 2> /dev/null || rc=$?
[ "$rc" -le 1 ] || fail "JSON report: exit $rc"
python3 tests/validate_report.py "$T/report.json" || fail "JSON report: schema"
cp "$T/evil.zst" "$T/store/"$'core.\x1b[2J.1.1.zst'
"$CC_BIN" list --store "$T/store" > "$T/list.txt" 2> "$T/list.err" || fail "list: $(cat "$T/list.err")"
"$CC_BIN" list --json --store "$T/store" > "$T/list.json" 2> /dev/null || fail "list --json"

# error messages name paths as well: escaped too
"$CI_BIN" "$T/"$'no\x1b[2Jsuch\nfile' > /dev/null 2> "$T/missing.err"
cp "$T/missing.err" "$T/missing.txt"

# no control byte but the newline on any stdout (or that stderr)
for out in report.txt list.txt report.json list.json missing.txt; do
        if python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(any(b < 0x20 and b != 10 or b == 0x7f for b in d))' "$T/$out"; then
                pass "$out: no control bytes"
        else
                fail "$out: raw control bytes: $(grep -c $'\x1b' "$T/$out") lines with ESC"
        fi
done
grep -qF 'Thread 22705 "\x1b]0;thread\x07" (crashed):' "$T/report.txt" && pass "thread name shown escaped" ||
        fail "thread name not shown escaped: $(grep '^Thread' "$T/report.txt")"
grep -qF 'on host\x1b[5m,' "$T/report.txt" && pass "host shown escaped" || fail "host not shown escaped"

# run every next step with bash and dash; check what the commands received
python3 tests/hostile_steps.py "$T" "$T/bin/$evil" "$T/report.txt" "$T/report.json" -- "${args[@]}" || fail "next steps"
# the JSON reports keep the exact bytes
python3 - "$T/bin/$evil" "$T/report.json" "$T/list.json" -- "${args[@]}" <<'PY' && pass "JSON: exact argv and exe" || fail "JSON: argv or exe not exact"
import json, os, sys
exe = os.fsencode(sys.argv[1])
args = [os.fsencode(a) for a in sys.argv[5:]]
b = lambda s: s.encode("utf-8", "surrogateescape")
report = json.load(open(sys.argv[2]))
assert [b(a) for a in report["process"]["argv"]][1:] == args, report["process"]["argv"]
assert b(report["process"]["exe"]) == exe
assert b(json.load(open(sys.argv[3]))[0]["exe"]) == exe
PY

echo "$failures failure(s)"
[ "$failures" = 0 ]
