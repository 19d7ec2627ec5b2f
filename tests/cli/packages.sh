#!/bin/bash
# The packages the crashed host recorded (packages.json, written by
# corecollect after the core) reach the report: the executable's package
# and version (text and JSON), each module's, and the debug-package hints,
# which name the recorded package pinned to the recorded version even where
# this machine has no dpkg database at all, and say that they come from the
# crashed host. A recorded name that is not a Debian package name (shell
# bytes) is never put in a command; a bundle without packages.json (older
# ones, the fixtures) reports as before.
# Usage: packages.sh COREINSPECT REBUNDLE
set -uo pipefail
CI_BIN=$1
REBUNDLE=$2
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
ulimit -c 0
cd "$(dirname "$0")/../.."
T=$(mktemp -d /tmp/cli-packages.XXXXXX)
trap 'rm -rf "$T"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# nothing of this machine's debug info or packages
export COREINSPECT_SYSTEM_DEBUG_DIR= DPKG_ADMINDIR=/nonexistent
unset DEBUGINFOD_URLS COREINSPECT_DEBUG_DIRS

cat > "$T/packages.json" <<'JSON'
{"format": 1, "status": "ok", "reason": null, "usec": 10, "cpu_usec": 9, "bytes_read": 100,
 "files": [
  {"path": "/tmp/coreinspect-fixtures/bin/crash_segv", "package": "crash-victim", "version": "1.2-3", "architecture": "amd64"},
  {"path": "/usr/lib/x86_64-linux-gnu/libc.so.6", "package": "libc6", "version": "2.36-9+deb12u99", "architecture": "amd64"},
  {"path": "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "package": "libc6;reboot", "version": "1$(id)", "architecture": "amd64"}]}
JSON
"$REBUNDLE" fixtures/segv.zst "$T/p.zst" --put "packages.json=$T/packages.json" || { echo "FAIL: rebundle"; exit 1; }

rc=0
"$CI_BIN" "$T/p.zst" > "$T/p.txt" 2> "$T/p.err" || rc=$?
[ "$rc" -le 1 ] || fail "text report: exit $rc: $(cat "$T/p.err")"
grep -q '^Package: crash-victim 1.2-3 amd64 (recorded on the crashed host)$' "$T/p.txt" &&
        pass "executable's package in the text report" || fail "no Package: line: $(grep -i package "$T/p.txt")"
grep -q '^    get it: apt-get install libc6-dbg=2.36-9+deb12u99$' "$T/p.txt" &&
        pass "hint names the recorded package at the recorded version" || fail "libc hint: $(grep 'get it' "$T/p.txt")"
grep -q "crashed host's dpkg recorded" "$T/p.txt" && pass "the hints say where the package came from" ||
        fail "no note that the packages were recorded by the crashed host"
grep -q 'package libc6:amd64 2.36-9+deb12u99' "$T/p.txt" && pass "module's package in the text report" ||
        fail "module package not shown"
grep 'get it' "$T/p.txt" | grep -q 'reboot\|id)' && fail "a hostile package name reached a command" ||
        pass "a hostile package name is not put in a command"

rc=0
"$CI_BIN" --json "$T/p.zst" > "$T/p.json" 2>> "$T/p.err" || rc=$?
[ "$rc" -le 1 ] || fail "json report: exit $rc"
python3 tests/validate_report.py "$T/p.json" || fail "report does not match the schema"
python3 - "$T/p.json" <<'PY' && pass "JSON: process.package and the modules' packages and hint sources" || fail "JSON package fields"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["process"]["package"] == {"name": "crash-victim", "version": "1.2-3", "architecture": "amd64"}, d["process"]
mods = {m["name"].rsplit("/", 1)[-1]: m for m in d["modules"]}
libc = mods["libc.so.6"]
assert libc["package"] == "libc6:amd64" and libc["package_version"] == "2.36-9+deb12u99", libc
assert libc["hint_source"] == "crashed-host" and libc["hint"] == "apt-get install libc6-dbg=2.36-9+deb12u99", libc
ld = mods["ld-linux-x86-64.so.2"]
assert "hint_source" not in ld and ld["hint"].startswith("DEBUGINFOD_URLS="), ld
PY

# the same crash without packages.json: no package anywhere
"$CI_BIN" --json fixtures/segv.zst > "$T/old.json" 2> /dev/null
python3 - "$T/old.json" <<'PY' && pass "a bundle without packages.json reports as before" || fail "old bundle"
import json, sys
d = json.load(open(sys.argv[1]))
assert "package" not in d["process"], d["process"]
assert all("package" not in m and "hint_source" not in m for m in d["modules"]), d["modules"]
PY

[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all passed"
