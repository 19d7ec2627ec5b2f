#!/bin/bash
# Every mapped ELF with a build-id goes into files/: Debian's python3.11-dbg
# executable (non-PIE at 0x400000, two PT_NOTE segments) was missing from
# files/ and meta.json's mapped_files. Over file_max, meta.json marks the
# file "skipped": "file_max" and the report names it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../bound.sh"
PY=$(command -v python3.11-dbg || true)
[ -n "$PY" ] || skip "python3.11-dbg not installed (scripts/setup.sh installs it)"
exe=$(readlink -f "$PY")
bid=$(readelf -n "$exe" | awk '/Build ID/ {print $3}')
[ -n "$bid" ] || fail "$exe has no build-id"

install_handler
crash "$PY" -c 'import ctypes; ctypes.string_at(0)'
b=$(for _ in $(seq 1 600); do ls -t "$STORE"/core.python*.zst 2>/dev/null | head -n 1 | grep . && break; sleep 0.1; done)
[ -n "$b" ] || fail "no bundle of python3.11-dbg"
extract "$b" "$T/x"
[ -f "$T/x/files/$bid" ] || fail "files/$bid ($exe) missing: $(ls "$T/x/files")"
cmp -s "$T/x/files/$bid" "$exe" || fail "files/$bid differs from $exe"
[ "$(json_get "$T/x/meta.json" "[m['build_id'] for m in d['mapped_files'] if m['path'] == '$exe' and m['executable']]")" = "['$bid']" ] ||
        fail "mapped_files lacks $exe: $(json_get "$T/x/meta.json" 'd["mapped_files"]')"
inspect "$b" "$T/r"
grep -q "python3.11d" "$T/r.txt" || fail "report does not name the executable"
pass "python3.11-dbg: $exe ($bid) in files/ and mapped_files"

rm -f "$STORE"/*.zst
install_handler --set file_max=8M
crash "$PY" -c 'import ctypes; ctypes.string_at(0)'
b=$(for _ in $(seq 1 600); do ls -t "$STORE"/core.python*.zst 2>/dev/null | head -n 1 | grep . && break; sleep 0.1; done)
[ -n "$b" ] || fail "no bundle of python3.11-dbg"
extract "$b" "$T/y"
[ ! -e "$T/y/files/$bid" ] || fail "file_max: the 24 MB executable was stored"
[ "$(json_get "$T/y/meta.json" "[m.get('skipped') for m in d['mapped_files'] if m['path'] == '$exe']")" = "['file_max']" ] ||
        fail "file_max: meta.json does not say why $exe is missing: $(json_get "$T/y/meta.json" 'd["mapped_files"]')"
inspect "$b" "$T/s"
grep -q "not in the bundle.*$exe.*file_max\|$exe.*not in the bundle.*file_max" "$T/s.txt" ||
        fail "file_max: the report does not name the file left out: $(cat "$T/s.txt")"
[ "$(json_get "$T/s.json" "[m.get('skipped') for m in d['modules'] if m.get('name') == '$exe']")" = "['file_max']" ] ||
        fail "file_max: JSON report modules[] does not say skipped: file_max"
pass "file_max: $exe marked skipped in meta.json and named by the report"
