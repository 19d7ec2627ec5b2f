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

mkdir -p "$T/bin" "$T/calls" "$T/work" "$T/store"
cat > "$T/bin/stub" <<'STUB'
#!/bin/bash
f=$(/usr/bin/mktemp "$CALLS/call.XXXXXX")
printf '%s\0' "${0##*/}" "$@" > "$f"
if [ "${0##*/}" = mktemp ]; then
        /usr/bin/mkdir -p "$WORK/d"
        printf '%s\n' "$WORK/d"
fi
exit 0
STUB
chmod +x "$T/bin/stub"
for c in gdb valgrind tar mktemp ltrace strace dmesg grep journalctl ms_print objdump less ls lsof cat ps auditctl; do
        ln -s stub "$T/bin/$c"
done
ln -s /usr/bin/touch "$T/bin/touch" # what an injected command would run

evil=$'evil \x1b[31m;$(touch PWNED-exe)`touch PWNED-exe2`\'"\n\xff'
ln -s stub "$T/bin/$evil"
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

# no control byte but the newline on any stdout
for out in report.txt list.txt report.json list.json; do
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
python3 - "$T" "$T/bin/$evil" "$T/report.txt" "$T/report.json" "$T/list.json" -- "${args[@]}" <<'PY' || fail "next steps"
import json, os, subprocess, sys
T, exe, text, js, lj = (os.fsencode(a) for a in sys.argv[1:6])
args = [os.fsencode(a) for a in sys.argv[7:]]
steps = [l[4:] for l in open(text, "rb").read().split(b"\n") if l.startswith(b"  $ ")]
report = json.load(open(js))
json_steps = [s.encode("utf-8", "surrogateescape") for s in report["classification"]["next_steps"]]
calls_dir = os.path.join(T, b"calls")
env = {b"PATH": os.path.join(T, b"bin"), b"CALLS": calls_dir, b"WORK": os.path.join(T, b"work")}
checked = 0
for shell in (b"/bin/bash", b"/bin/dash"):
    for step in steps + [s for s in json_steps if s not in steps]:
        for f in os.listdir(calls_dir):
            os.unlink(os.path.join(calls_dir, f))
        subprocess.run([shell, b"-c", step], env=env, cwd=os.path.join(T, b"work"),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        for root, dirs, files in os.walk(T):
            hit = [f for f in files + dirs if f.startswith(b"PWNED")]
            assert not hit, (shell, step, hit)
        if shell != b"/bin/bash":
            continue  # dash has no $'...': it must run nothing, the bytes may differ
        for f in os.listdir(calls_dir):
            parts = open(os.path.join(calls_dir, f), "rb").read().split(b"\0")[:-1]
            if exe in parts[1:]:  # valgrind EXE ARGS, gdb EXE CORE, ...
                i = parts.index(exe, 1)
                if parts[0] != b"gdb":
                    assert parts[i + 1:] == args, (step, parts)
                checked += 1
            elif parts[0] == os.path.basename(exe):  # EXE ARGS run directly
                assert parts[1:] == args, (step, parts)
                checked += 1
assert checked >= 3, checked
assert steps == json_steps, (steps, json_steps)
assert len(steps) >= 3, steps
# the JSON keeps the exact bytes
assert [a.encode("utf-8", "surrogateescape") for a in report["process"]["argv"]][1:] == args
assert report["process"]["exe"].encode("utf-8", "surrogateescape") == exe
listed = json.load(open(lj))
assert listed[0]["exe"].encode("utf-8", "surrogateescape") == exe, listed
print("ok: %d next steps run, %d commands got the exact program and arguments" % (len(steps), checked))
PY

echo "$failures failure(s)"
[ "$failures" = 0 ]
