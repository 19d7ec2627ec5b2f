#!/bin/bash
# coreinspect trends --html, in SQLite (default) or the PostgreSQL database
# given as the third argument (postgres.sh does): real bundles of three
# signatures over several days and hosts, and a hand-made one whose
# signature, text, class, detail, host, exe and bundle hold '<script>', '"',
# '&' and '''. The page is loaded in headless chromium (Debian's package):
# its DOM has a bar chart (svg rect) per signature, every signature of the
# database, the hostile strings as text, and no element the data made (no
# script, no img, no extra section); a screenshot is taken (the fourth
# argument, if given, is where to copy it: docs/trends-html.png).
# (no memory bound for the whole test: ci below bounds coreinspect, and
# chromium gets a data limit instead)
FLEET_UNBOUNDED=1
. "$(dirname "$0")/common.sh"
SHOT=${4:-}
if ! command -v chromium > /dev/null; then
        [ "$(id -u)" = 0 ] && fail "chromium is missing (scripts/setup.sh installs it)"
        echo "skip: no chromium, and not root to install it"
        exit 77
fi
export COREINSPECT_SYSTEM_DEBUG_DIR=
REBUNDLE=$(dirname "$0")/rebundle.py
# coreinspect within the tests' memory bound; chromium reserves far more
# address space than it uses, so it gets a data limit instead (below; it
# dies under bound.sh's address-space limit)
ci() ( . "$(dirname "$0")/../bound.sh"; "$COREINSPECT" "$@" )
case $DB in
postgres*) qf() { psql -q -v ON_ERROR_STOP=1 "$1" -f "$2"; } ;;
*) qf() { python3 -c "import sqlite3,sys; c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()" "$1" "$2"; } ;;
esac

# 2026-11-20 .. 2026-11-29, "now" the 30th, a window of 5 days: threads on
# three hosts, 3 in the window and 1 before (up), abort only in the window
# before (down), lib only in the window (new); each rewritten bundle costs
# seconds (zstd), so few
NOW=1795996800 # 2026-11-30 00:00 UTC
DAY=86400
mkdir -p "$T/store"
i=0
for spec in "threads a 3" "threads b 8" "threads c 9" "threads a 10" "abort b 4" "lib c 10"; do
        set -- $spec
        i=$((i + 1))
        python3 "$REBUNDLE" "$FIXTURES/$1.zst" "$T/store/core.$1.$i.zst" --host "host-$2" --boot-id "boot-$2" \
                --pid $((1000 + i)) --time $((NOW - 11 * DAY + $3 * DAY + i * 60)) || fail "rebundle $spec"
done
ci index --db "$DB" "$T/store" > "$T/out" 2> "$T/err" || fail "index: $(cat "$T/err")"
grep -q "^indexed 6 new crashes" "$T/out" || fail "index: $(cat "$T/out")"

# the hostile signature, stored as fleet_text_encode stores text (no '\' here);
# PostgreSQL's crashes also want ptime, their partition key
EVIL='x<script>alert("&")</script>'"'"
python3 - "$T/evil.sql" "$EVIL" "$((NOW - 2 * DAY))" "$DB" <<'PY' || fail "sql"
import sys
path, evil, t = sys.argv[1], sys.argv[2], int(sys.argv[3])
pcol, pval = (", ptime", f", {t}") if sys.argv[4].startswith("postgres") else ("", "")
s = lambda v: "'" + v.replace("'", "''") + "'"
sig, text = evil, "v1|" + evil + "|" + evil + "|sig11|" + evil + "|main"
rows = [
    f"INSERT INTO crashes (crash_key, bundle_key, bundle, host, exe, exe_name, pid, time, signal, class, detail,"
    f" signature, signature_text, indexed_at, version{pcol}) VALUES ('evil', 'evil', {s('/s/' + evil)}, {s(evil)},"
    f" {s('/bin/' + evil)}, {s(evil)}, 7, {t}, 11, {s(evil)}, {s(evil)}, {s(sig)}, {s(text)}, {t}, {s(evil)}{pval});",
    f"INSERT INTO signatures (signature, class, exe, exe_name, signature_text, detail, total, hosts, first_seen,"
    f" last_seen, latest_key, latest_bundle, first_version) VALUES ({s(sig)}, {s(evil)}, {s('/bin/' + evil)},"
    f" {s(evil)}, {s(text)}, {s(evil)}, 1, 1, {t}, {t}, 'evil', {s('/s/' + evil)}, {s(evil)});",
    f"INSERT INTO sig_days (signature, day, n, first_seen, last_seen, latest_key) VALUES ({s(sig)}, {t // 86400},"
    f" 1, {t}, {t}, 'evil');",
    f"INSERT INTO sig_hosts (signature, host, n, last_seen) VALUES ({s(sig)}, {s(evil)}, 1, {t});",
    f"INSERT INTO sig_versions (signature, version, n, first_seen, last_seen) VALUES ({s(sig)}, {s(evil)}, 1, {t}, {t});",
]
open(path, "w").write("\n".join(rows) + "\n")
PY
qf "$DB" "$T/evil.sql" || fail "cannot add the hostile signature"

ci trends --db "$DB" --now "$NOW" --window 5d --html "$T/page.html" > "$T/out" 2> "$T/err" ||
        fail "trends --html: $(cat "$T/err")"
[ -s "$T/page.html" ] && [ ! -s "$T/out" ] || fail "no page, or output besides it"
! grep -Eiq "<script|https?:|src=" "$T/page.html" || fail "the page has a script or fetches something: $(grep -Eio ".{40}(<script|https?:|src=).{40}" "$T/page.html")"
q "$DB" "SELECT signature FROM signatures ORDER BY signature" > "$T/sigs"
[ "$(wc -l < "$T/sigs")" = 4 ] || fail "signatures: $(cat "$T/sigs")"

# chromium, bounded (data limit, time), its profile and cache under $T
(
        ulimit -S -v unlimited 2> /dev/null # bound.sh's, if a caller set it
        ulimit -d 2097152
        ulimit -c 0 # a chromium that dies is not a crash for a core_pattern handler to collect
        export HOME=$T
        cd "$T" &&
        timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$T/chrome" \
                --dump-dom "file://$T/page.html" > "$T/dom.html" 2> "$T/chrome.err" &&
        timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$T/chrome" --hide-scrollbars \
                --window-size=1100,1500 --screenshot="$T/shot.png" "file://$T/page.html" > /dev/null 2>> "$T/chrome.err"
) || fail "chromium: $(tail -n 5 "$T/chrome.err")"
python3 - "$T/dom.html" "$T/sigs" "$EVIL" <<'PY' || fail "the page's DOM is wrong"
import sys
from html.parser import HTMLParser
dom, sigs, evil = open(sys.argv[1]).read(), open(sys.argv[2]).read().splitlines(), sys.argv[3]
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.stack, self.sections = [], [], []
        self.rects = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "section":
            self.sections.append({"id": a.get("id"), "rects": 0, "codes": []})
        if tag == "rect" and self.sections:
            self.sections[-1]["rects"] += 1
        self.stack.append((tag, a))
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass
    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "code" and self.stack[-1][1].get("class") == "sig" and self.sections:
            self.sections[-1]["codes"].append(data)
p = P()
p.feed(dom)
assert "script" not in p.tags, "a script element"
assert "img" not in p.tags and "iframe" not in p.tags, "an element from the data"
got = sorted(s["codes"][0] for s in p.sections)
assert got == sorted(sigs), f"signatures {got} != {sorted(sigs)}"
for s in p.sections:
    assert s["rects"] >= 1, f"no bar in the chart of {s['codes']}"
    assert s["id"] == "sig-" + s["codes"][0], s["id"]
# the hostile strings came through as text (escaped once, shown as they are)
assert dom.count("&lt;script&gt;alert(\"&amp;\")&lt;/script&gt;'") >= 8, "hostile text not shown as text"
marks = {m: dom.count(f'class="mark {m}"') for m in ("new", "up", "down")}
assert all(marks.values()), f"marks {marks}"
PY
python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); sys.exit(d[:8] != b'\x89PNG\r\n\x1a\n' or len(d) < 10000)" "$T/shot.png" ||
        fail "no screenshot"
[ -z "$SHOT" ] || cp "$T/shot.png" "$SHOT"
# a page that cannot be written: one line, exit 2, nothing left behind
rc=0; ci trends --db "$DB" --html "$T/nodir/page.html" > /dev/null 2> "$T/err" || rc=$?
[ $rc = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] || fail "unwritable page: exit $rc: $(cat "$T/err")"
echo "ok: trends --html in chromium: $(wc -l < "$T/sigs") signatures with charts and marks, hostile text escaped, no script"
