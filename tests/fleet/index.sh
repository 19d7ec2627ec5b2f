#!/bin/bash
# coreinspect index / trends on the fixtures' real bundles (no root): every
# bundle indexed once, again is a no-op, a copy under another name counts
# once, a cut bundle is refused with one line while the others go in, two
# indexers at once lose nothing; trends groups by signature and compares the
# window with the one before. The rows are checked with Python's own sqlite3.
. "$(dirname "$0")/common.sh"
DB=$T/db.sqlite
mkdir -p "$T/store" "$T/copy" "$T/bad" "$T/a" "$T/b"
cp "$FIXTURES"/*.zst "$FIXTURES"/classes/*.zst "$T/store/"
n=$(ls "$T/store" | wc -l)
segv_debug_dir

rows() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$DB" "$1"; }
rc=0; "$COREINSPECT" index --db "$DB" "$T/store" > "$T/out" 2> "$T/err" || rc=$?
# Until the elf branch, the analysis of segv.core.zst (its executable is
# absent) crashes: index records it as failed and goes on.
pair=2 all=$n
if [ $rc = 1 ] && [ "$(rows "SELECT reason FROM failures WHERE bundle = '$T/store/segv.core.zst'" |
        grep -Ec "killed by SIGSEGV|AddressSanitizer: SEGV")" = 1 ]; then
        echo "note: segv.core.zst crashed the analysis (recorded as failed)"
        rc=0 pair=1 n=$((n - 1))
fi
[ $rc = 0 ] || fail "index exit $rc: $(cat "$T/err")"
grep -q "^indexed $n new crashes, 0 already" "$T/out" || fail "first index: $(cat "$T/out")"
[ "$(rows 'SELECT COUNT(*) FROM crashes')" = "$n" ] || fail "rows"
# segv.zst (a bundle) and segv.core.zst (its core, zstd-compressed) are one bug
[ "$(rows 'SELECT COUNT(DISTINCT signature) FROM crashes')" = $((all - 1)) ] || fail "distinct signatures"
b=$T/store/threads.zst
"$COREINSPECT" --json "$b" > "$T/threads.json"
python3 - "$DB" "$T/threads.json" "$b" <<'PY' || fail "row differs from coreinspect --json"
import json, sqlite3, sys
d = json.load(open(sys.argv[2]))
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT signature, class, pid, time, host, exe FROM crashes WHERE bundle = ?", (sys.argv[3],)).fetchone()
p = d["process"]
assert row == (d["signature"], d["classification"]["class"], p["pid"], p["time"], p["host"], p["exe"]), row
PY

rc=0; "$COREINSPECT" index --db "$DB" "$T/store" > "$T/out" 2>&1 || rc=$?
[ $rc = 0 ] || [ $pair = 1 ] || fail "second index failed"
grep -q "^indexed 0 new crashes, $n already in the index" "$T/out" || fail "second index: $(cat "$T/out")"
cp "$T/store/threads.zst" "$T/copy/renamed.zst"
"$COREINSPECT" index --db "$DB" "$T/copy/renamed.zst" > "$T/out" 2>&1 || fail "copy index failed"
# known by its content (meta.json's facts), without analysis
grep -q "^indexed 0 new crashes, 1 already in the index, 0 duplicates " "$T/out" || fail "copy: $(cat "$T/out")"

head -c 20000 "$T/store/abort.zst" > "$T/bad/cut.zst"
cp "$T/store/lib.zst" "$T/bad/lib.zst"
rc=0; "$COREINSPECT" index --db "$T/bad.sqlite" "$T/bad" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 1 ] || fail "a cut bundle: exit $rc, want 1"
grep -q "cut.zst: not indexed" "$T/err" || fail "no line names the cut bundle: $(cat "$T/err")"
grep -q "^indexed 1 new crash, 0 already in the index, 0 duplicates .*, 1 failed" "$T/out" || fail "cut: $(cat "$T/out")"

# two indexers at once into one database
i=0
for f in "$T"/store/*.zst; do
        if [ $((i % 2)) = 0 ]; then cp "$f" "$T/a/"; else cp "$f" "$T/b/"; fi
        i=$((i + 1))
done
mkdir "$T/empty" # a directory without bundles is no error
"$COREINSPECT" index --db "$T/both.sqlite" "$T/a" > "$T/a.out" 2>&1 & pa=$!
"$COREINSPECT" index --db "$T/both.sqlite" "$T/b" "$T/empty" > "$T/b.out" 2>&1 & pb=$!
rc=0; wait $pa || rc=$?
[ $rc = 0 ] || { [ $pair = 1 ] && [ $rc = 1 ]; } || fail "indexer a: $(cat "$T/a.out")"
rc=0; wait $pb || rc=$?
[ $rc = 0 ] || { [ $pair = 1 ] && [ $rc = 1 ]; } || fail "indexer b: $(cat "$T/b.out")"
DB=$T/both.sqlite
[ "$(rows 'SELECT COUNT(*) FROM crashes')" = "$n" ] || fail "two indexers: $(rows 'SELECT COUNT(*) FROM crashes') rows, want $n"
DB=$T/db.sqlite

# trends: a day after the newest crash all are new in the last 7 days; ten
# days after, all are in the window before and going down
last=$(rows 'SELECT MAX(time) FROM crashes')
"$COREINSPECT" trends --db "$DB" --json --now $((last + 86400)) > "$T/t1.json" || fail "trends --json"
"$COREINSPECT" trends --db "$DB" --json --now $((last + 10 * 86400)) --window 7d > "$T/t2.json" || fail "trends later"
python3 - "$T/t1.json" "$T/t2.json" "$n" "$all" "$pair" <<'PY' || fail "trends wrong"
import json, sys
n, n_all, pair = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
t1, t2 = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
s1, s2 = t1["signatures"], t2["signatures"]
assert len(s1) == n_all - 1 and sum(s["total"] for s in s1) == n, (len(s1), [s["total"] for s in s1])
top = [s for s in s1 if s["signature_text"].startswith("v1|null-deref|crash_segv|")][0]
assert top["total"] == pair, top
assert all(s["trend"] == "new" and s["recent"] >= 1 for s in s1), [s["trend"] for s in s1]
assert all(s["trend"] == "down" and s["recent"] == 0 and s["previous"] >= 1 for s in s2), [(s["trend"], s["recent"], s["previous"]) for s in s2]
PY
"$COREINSPECT" trends --db "$DB" --now $((last + 86400)) --limit 3 > "$T/t.txt" || fail "trends text"
[ "$(wc -l < "$T/t.txt")" = 4 ] || fail "trends --limit 3: $(cat "$T/t.txt")"
grep -q "^SIGNATURE .* TOTAL .* LAST 7d .* PREV 7d TREND" "$T/t.txt" || fail "header: $(head -1 "$T/t.txt")"
[ $pair = 1 ] || grep -q " 2 .* 1 .* 0 new .*null-deref .*crash_segv: store_through < main$" "$T/t.txt" ||
        fail "top row: $(sed -n 2p "$T/t.txt")"

# filters: by executable (file name or path), class, host
"$COREINSPECT" trends --db "$DB" --json --exe crash_segv > "$T/f.json" || fail "trends --exe"
"$COREINSPECT" trends --db "$DB" --json --exe /tmp/coreinspect-fixtures/bin/crash_segv > "$T/f2.json" || fail "trends --exe PATH"
"$COREINSPECT" trends --db "$DB" --json --class null-deref > "$T/f3.json" || fail "trends --class"
host=$(rows 'SELECT MAX(host) FROM crashes')
"$COREINSPECT" trends --db "$DB" --json --host "$host" > "$T/f4.json" || fail "trends --host"
python3 - "$T" "$DB" <<'PY' || fail "filters wrong"
import json, sqlite3, sys
t, db = sys.argv[1], sqlite3.connect(sys.argv[2])
f = [json.load(open("%s/f%s.json" % (t, k)))["signatures"] for k in ("", "2", "3", "4")]
assert [s["signature_text"].split("|")[2] for s in f[0]] == ["crash_segv"], f[0]
assert f[1] == f[0], f[1]
want = db.execute("SELECT COUNT(DISTINCT signature) FROM crashes WHERE class = 'null-deref'").fetchone()[0]
assert len(f[2]) == want and all(s["class"] == "null-deref" for s in f[2]), (want, f[2])
hosted = db.execute("SELECT COUNT(*) FROM crashes WHERE host IS NOT NULL").fetchone()[0]
assert sum(s["total"] for s in f[3]) == hosted, hosted
PY
"$COREINSPECT" trends --db "$DB" --host no-such-host > "$T/out" || fail "trends --host none"
grep -q "^(no crashes in " "$T/out" || fail "no match: $(cat "$T/out")"

# trends prints what crashed processes and bundles chose (exe path, host,
# function names) escaped on a terminal: no escape sequence, control byte,
# C1 control, bidi override or invalid UTF-8 reaches it, and no line is
# added; --json keeps the bytes (JSON-escaped).
python3 - "$T/bad.sqlite" <<'PY' || fail "cannot add a hostile row"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
# as fleet_text_encode stores them: '\' doubled, invalid UTF-8 bytes as \xHH
c.execute("INSERT INTO crashes (crash_key, bundle_key, bundle, host, exe, exe_name, pid, time, signal, class,"
          " signature, signature_text, indexed_at) VALUES ('k', 'b', '/s/x.zst', ?, ?, 'x', 1, 1000, 11,"
          " 'null-deref', 'ffffffffffffffff', ?, 1000)",
          ("h\x1b[2J", "/tmp/a\nb\x1b]0;T\x07",
           "v1|null-deref|ev\x1b[31mil\nname\u202e|sig11|f\\x9b\u009bg\\\\|main"))
# and its rollups, which trends reads
c.execute("INSERT INTO signatures (signature, class, exe, exe_name, signature_text, total, hosts, first_seen,"
          " last_seen, latest_key, latest_bundle) SELECT signature, class, exe, exe_name, signature_text, 1, 1,"
          " time, time, crash_key, bundle FROM crashes WHERE crash_key = 'k'")
c.execute("INSERT INTO sig_days SELECT signature, time / 86400, 1, time, time, crash_key FROM crashes"
          " WHERE crash_key = 'k'")
c.commit()
PY
"$COREINSPECT" trends --db "$T/bad.sqlite" --now 2000 > "$T/t.txt" || fail "trends of a hostile row"
python3 - "$T/t.txt" <<'PY' || fail "trends printed raw bytes: $(cat -v "$T/t.txt")"
import sys
out = open(sys.argv[1], "rb").read()
assert not any(b < 0x20 and b != 0x0a or b == 0x7f for b in out), out
out.decode("utf-8")  # valid UTF-8
assert b"\xc2\x9b" not in out and "\u202e".encode() not in out, out
assert out.count(b"\n") == 3, out  # the header, the row, lib.zst's row
want = rb"ev\x1b[31mil\nname\xe2\x80\xae: f\x9b\xc2\x9bg\ < main"
assert want in out, (want, out)
PY
"$COREINSPECT" trends --db "$T/bad.sqlite" --now 2000 --json > "$T/t.json" || fail "trends --json of a hostile row"
python3 - "$T/t.json" <<'PY' || fail "trends --json lost bytes: $(cat "$T/t.json")"
import json, sys
s = [x for x in json.load(open(sys.argv[1]))["signatures"] if x["signature"] == "f" * 16][0]
assert s["exe"] == "/tmp/a\nb\x1b]0;T\x07", s
assert s["signature_text"].startswith("v1|null-deref|ev\x1b[31mil\nname\u202e|sig11|f"), s
PY

rc=0; "$COREINSPECT" trends --db "$T/missing.sqlite" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] || fail "missing database: exit $rc: $(cat "$T/err")"
rc=0; "$COREINSPECT" index --db /proc/self/nodir/db.sqlite "$T/copy" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 2 ] || fail "unwritable database: exit $rc"
echo "not a database" > "$T/junk.sqlite"
rc=0; "$COREINSPECT" trends --db "$T/junk.sqlite" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] || fail "junk database: exit $rc: $(cat "$T/err")"
rc=0; "$COREINSPECT" trends --window 0 > /dev/null 2>&1 || rc=$?
[ $rc = 64 ] || fail "--window 0: exit $rc"
echo "ok: $n bundles indexed once, copy and cut handled, two indexers, trends new/down"
