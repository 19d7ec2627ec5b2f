#!/bin/bash
# Bundle paths the database could choke on, indexed into SQLite (default) or
# the PostgreSQL database given as the third argument (postgres.sh does):
# a 3.7 KB path (over PostgreSQL's 2,704-byte index row limit) and a
# directory named with invalid UTF-8, a newline and an escape sequence. Both
# are indexed, the stored paths decode to the exact bytes (crashes and
# failures), the next run finds them already there, and the line naming the
# failed one is escaped.
. "$(dirname "$0")/common.sh"
export COREINSPECT_SYSTEM_DEBUG_DIR=

# hex of a text column's stored bytes, one row a line
case $DB in
postgres*) hex_rows() { psql "$DB" -tAc "SELECT encode(convert_to($1, 'UTF8'), 'hex') FROM $2"; } ;;
*) hex_rows() {
        python3 -c "import sqlite3,sys; [print(r[0].lower()) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]" \
                "$DB" "SELECT hex($1) FROM $2"
} ;;
esac

# (hex of hashes: PostgreSQL compresses a long index value, a repetitive
# path would fit)
long=$T
for i in $(seq 15); do
        long=$long/$(python3 -c 'import hashlib,sys; print("".join(hashlib.sha256(b"%s-%d" % (sys.argv[1].encode(), j)).hexdigest() for j in range(4))[:245])' "$i")
done
odd=$T/$(printf 'odd\xff\xfe \n\x1b[31m')
mkdir -p "$long" "$odd" || fail "mkdir"
cp "$FIXTURES/threads.zst" "$long/t.zst"
cp "$FIXTURES/lib.zst" "$odd/l.zst"
head -c 20000 "$FIXTURES/abort.zst" > "$odd/cut.zst"
[ ${#long} -gt 3700 ] || fail "the long path is only ${#long} bytes"

rc=0; "$COREINSPECT" index --db "$DB" "$long/t.zst" "$odd" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 1 ] || fail "exit $rc, want 1: $(cat "$T/err")"
grep -q "^indexed 2 new crashes, 0 already in the index, 0 duplicates .*, 1 failed" "$T/out" || fail "$(cat "$T/out")"
python3 - "$T/err" <<'PY' || fail "the failure line: $(cat -v "$T/err")"
import sys
err = open(sys.argv[1], "rb").read()
assert err.count(b"\n") == 1 and b"\x1b" not in err and b"\xff" not in err, err
assert rb"/odd\xff\xfe \n\x1b[31m/cut.zst: not indexed: " in err, err
PY

# what the database holds decodes (\\ and \xHH, docs/fleet.md) to the exact paths
hex_rows bundle crashes > "$T/crashes.hex" || fail "query crashes"
hex_rows bundle failures > "$T/failures.hex" || fail "query failures"
python3 - "$T/crashes.hex" "$T/failures.hex" "$long/t.zst" "$odd/l.zst" "$odd/cut.zst" <<'PY' || fail "stored paths differ"
import os, re, sys
def decode(b):
    return re.sub(rb"\\\\|\\x([0-9a-f]{2})",
                  lambda m: b"\\" if m.group(0) == b"\\\\" else bytes([int(m.group(1), 16)]), b)
rows = lambda f: sorted(decode(bytes.fromhex(l)) for l in open(f).read().split())
want = sorted(os.fsencode(p) for p in sys.argv[3:5])
assert rows(sys.argv[1]) == want, (rows(sys.argv[1]), want)
assert rows(sys.argv[2]) == [os.fsencode(sys.argv[5])], rows(sys.argv[2])
PY

rc=0; "$COREINSPECT" index --db "$DB" "$long/t.zst" "$odd" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 1 ] || fail "second run: exit $rc: $(cat "$T/err")"
grep -q "^indexed 0 new crashes, 2 already in the index, 0 duplicates .*, 1 failed (1 failed before" "$T/out" ||
        fail "second run: $(cat "$T/out")"
echo "ok: a ${#long}-byte path and a non-UTF-8 one indexed, stored exactly, found again"
