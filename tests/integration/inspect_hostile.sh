#!/bin/bash
# A hostile crash through the real kernel handler: a program whose file name
# (so exe path and comm), function names and arguments hold escape sequences, newlines,
# shell metacharacters and invalid UTF-8, with a password in an allowed
# environment variable. The bundle redacts the password; the text report
# and `corecollect list` put no control byte on the terminal; every next
# step, run by bash and dash with stub commands, runs nothing injected and
# gives the program its exact arguments (tests/hostile_steps.py); the JSON
# report has the exact bytes of argv and exe.
. "$(dirname "$0")/lib.sh"
install_handler

evil=$'evil\x1b[31m;$(touch PWNED-exe)\n\xff'
mkdir -p "$T/bin"
# the binary is the crashed program's too: its function names as well
fn=$'\x1b[31mevil\nname$(id)'
objcopy --redefine-sym store_through="$fn" "$PROGRAMS/crash_segv" "$T/bin/$evil" || fail "objcopy"
args=('x; touch PWNED-1 #' '$(touch PWNED-2)' '`touch PWNED-3`' "it's \"quoted\"" $'two\nlines; touch PWNED-4'
      $'tab\there' $'\xff\xfe not utf-8' '' '-rf' $'\x1b]0;title\x07' '*' '!!' 'A=b')
NODE_OPTIONS='--db password=hunter2' crash "$T/bin/$evil" "${args[@]}"
b=$(wait_bundle)
check_members "$b"
tar --zstd -xOf "$b" proc/environ > "$T/environ"
grep -qx 'NODE_OPTIONS=<redacted>' "$T/environ" && ! grep -q hunter2 "$T/environ" ||
        fail "password not redacted: $(grep NODE_OPTIONS "$T/environ")"
pass "environment: password in an allowed variable redacted"

inspect "$b" "$T/evil"
"$CORECOLLECT" list --store "$STORE" > "$T/list.txt" || fail "list failed"
for out in evil.txt list.txt; do
        python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(any(b < 0x20 and b != 10 or b == 0x7f for b in d))' "$T/$out" ||
                fail "$out: raw control bytes on stdout: $(grep -c $'\x1b' "$T/$out") lines with ESC"
done
grep -qF 'evil\x1b[31m;$(touch PWNED-exe)\n\xff' "$T/list.txt" || fail "list: exe not shown escaped: $(cat "$T/list.txt")"
grep -qF '#0  ' "$T/evil.txt" && grep -F '#0  ' "$T/evil.txt" | grep -qF ' \x1b[31mevil\nname$(id)+0x' ||
        fail "function name not shown escaped: $(grep -F '#0  ' "$T/evil.txt")"
pass "no control bytes from the report or list"

python3 - "$T/bin/$evil" "$T/evil.json" "$fn" -- "${args[@]}" <<'PY' || fail "JSON: argv, exe or function not exact"
import json, os, sys
exe = os.fsencode(sys.argv[1])
args = [os.fsencode(a) for a in sys.argv[5:]]
b = lambda s: s.encode("utf-8", "surrogateescape")
report = json.load(open(sys.argv[2]))
assert report["threads"][0]["frames"][0]["function"] == sys.argv[3], report["threads"][0]["frames"][0]
d = report["process"]
assert b(d["exe"]) == exe, d["exe"]
assert [b(a) for a in d["argv"]] == [exe] + args, d["argv"]
PY
pass "JSON: exact argv, exe and function name"

python3 "$(dirname "$0")/../hostile_steps.py" "$T" "$T/bin/$evil" "$T/evil.txt" "$T/evil.json" -- "${args[@]}" ||
        fail "next steps"
