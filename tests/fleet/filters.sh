#!/bin/bash
# trends' filters against a brute-force count of the crash rows, in SQLite
# (default) or the PostgreSQL database given as the third argument
# (postgres.sh does): a synthetic fleet (bench/fleetgen, through
# fleet_db_add as index writes) of 40 hosts, 300 signatures, each
# executable at two paths. For --host, --exe PATH, --exe NAME, --class and
# their combinations, with windows of whole days and shorter, trends --json
# must list the signatures Python lists from the rows, in its order, with
# the same total, window counts, hosts, first and last seen, latest bundle
# and first version. The page (--html) with --host or --exe PATH must chart
# that host's or executable's crashes per day. Then the selection rollups
# are dropped and the database set back to schema 5: index migrates it and
# fills them from the rows, and trends answers the same.
. "$(dirname "$0")/common.sh"
need_fleetgen
NOW=1795996800
"$FLEETGEN" "$DB" 4000 --signatures 300 --hosts 40 --days 30 --paths 2 --now $NOW > "$T/gen" 2>&1 ||
        fail "fleetgen: $(cat "$T/gen")"
sql() {
        case $DB in
        postgres*) psql "$DB" -qtAF '|' -c "$1" ;;
        *) python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]) if sys.argv[3] == 'x' else [print('|'.join(map(str, r))) for r in c.execute(sys.argv[2])]; c.commit()" "$DB" "$1" "${2:-q}" ;;
        esac
}
sql "SELECT signature, host, exe, class, time, id, COALESCE(version, build_id), bundle FROM crashes" > "$T/rows"
[ "$(wc -l < "$T/rows")" = 4000 ] || fail "rows: $(wc -l < "$T/rows")"
HOST=$(cut -d'|' -f2 "$T/rows" | sort | uniq -c | sort -rn | awk 'NR==1{print $2}')
HOST2=$(cut -d'|' -f2 "$T/rows" | sort | uniq -c | sort -n | awk 'NR==1{print $2}')
# name|args (one per line; | separates the arguments)
cat > "$T/cases" <<EOF
default|
host|--host|$HOST
host2|--host|$HOST2
host 24h|--host|$HOST|--window|24h
host 90m|--host|$HOST|--window|90m
host 10d|--host|$HOST|--window|10d
exe path|--exe|/usr/bin/app3
exe path 2|--exe|/opt/app1/bin/app1
exe path 36h|--exe|/usr/bin/app3|--window|36h
exe name|--exe|app3
class|--class|abort
host exe name|--host|$HOST|--exe|app1
host exe path|--host|$HOST|--exe|/usr/bin/app1
host exe path 90m|--host|$HOST|--exe|/usr/bin/app1|--window|90m
host class|--host|$HOST|--class|assert
exe path class|--exe|/opt/app1/bin/app1|--class|abort
no such host|--host|nohost
EOF
run_cases() {
        local out=$1
        mkdir -p "$out"
        local i=0
        while IFS= read -r line; do
                i=$((i + 1))
                IFS='|' read -r -a a <<< "$line"
                "$COREINSPECT" trends --db "$DB" --now $NOW --limit 1000 --json "${a[@]:1}" > "$out/$i.json" ||
                        fail "trends ${a[*]:1}"
        done < "$T/cases"
}
run_cases "$T/out"
python3 - "$T/rows" "$T/cases" "$T/out" $NOW <<'PY' || fail "trends disagrees with the rows"
import json, sys
rows = []
for l in open(sys.argv[1]).read().splitlines():
    sig, host, exe, cls, t, i, v, bundle = l.split("|")
    rows.append(dict(sig=sig, host=host, exe=exe, name=exe.rsplit("/", 1)[-1], cls=cls, t=int(t), id=int(i),
                     v=v, bundle=bundle))
now = int(sys.argv[4])
def seconds(w):
    return int(w[:-1]) * {"d": 86400, "h": 3600, "m": 60}[w[-1]]
checked = 0
for n, line in enumerate(open(sys.argv[2]).read().splitlines(), 1):
    name, *args = line.split("|")
    args = [a for a in args if a]
    opt = dict(zip(args[::2], args[1::2]))
    w = seconds(opt.get("--window", "7d"))
    hi = (now // 86400 + 1) * 86400 if w % 86400 == 0 else now + 1
    lo, prev = hi - w, hi - 2 * w
    sel = [r for r in rows
           if ("--host" not in opt or r["host"] == opt["--host"])
           and ("--exe" not in opt or r["exe" if "/" in opt["--exe"] else "name"] == opt["--exe"])
           and ("--class" not in opt or r["cls"] == opt["--class"])]
    by = {}
    for r in sel:
        by.setdefault(r["sig"], []).append(r)
    want = []
    for sig, rs in by.items():
        latest = max(rs, key=lambda r: (r["t"], r["id"]))
        first = min(rs, key=lambda r: (r["t"], r["id"]))
        want.append(dict(signature=sig, total=len(rs), recent=sum(lo <= r["t"] < hi for r in rs),
                         previous=sum(prev <= r["t"] < lo for r in rs), hosts=len({r["host"] for r in rs}),
                         first_seen=first["t"], last_seen=latest["t"], latest_bundle=latest["bundle"],
                         first_version=first["v"]))
    want.sort(key=lambda s: (-s["recent"], -s["total"], -s["last_seen"], s["signature"]))
    got = json.load(open(f"{sys.argv[3]}/{n}.json"))["signatures"]
    assert [s["signature"] for s in got] == [s["signature"] for s in want], (name, len(got), len(want))
    for g, e in zip(got, want):
        for k, v in e.items():
            assert g[k] == v, (name, g["signature"], k, g[k], v)
        if "/" in opt.get("--exe", ""):
            assert g["exe"] == opt["--exe"], (name, g["exe"])
        checked += 1
    assert name == "no such host" or want, f"{name}: selects nothing: not a test"
print(f"{checked} signature rows checked")
PY
# the page: each signature's chart counts what the filters select
for args in "--host $HOST" "--exe /usr/bin/app3" "--host $HOST --exe /usr/bin/app1"; do
        # shellcheck disable=SC2086
        "$COREINSPECT" trends --db "$DB" --now $NOW --limit 30 --html "$T/page.html" $args || fail "--html $args"
        python3 - "$T/rows" "$T/page.html" $args <<'PY' || fail "the page's charts with $args"
import re, sys, datetime
opt = dict(zip(sys.argv[3::2], sys.argv[4::2]))
page = open(sys.argv[2]).read()
days = {}
for l in open(sys.argv[1]).read().splitlines():
    sig, host, exe, cls, t, i, v, bundle = l.split("|")
    if opt.get("--host", host) != host or opt.get("--exe", exe) != exe:
        continue
    d = datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%d")
    days.setdefault(sig, {}).setdefault(d, 0)
    days[sig][d] += 1
sections = re.findall(r'<section class="signature" id="sig-([0-9a-f]+)">(.*?)</section>', page, re.S)
assert sections, "no sections"
bars = 0
for sig, body in sections:
    chart = {d: int(n) for d, n in re.findall(r"<title>(\d{4}-\d\d-\d\d): (\d+)</title>", body)}
    first_day = re.search(r'<svg class="chart".*?<text x="0"[^>]*>(\d{4}-\d\d-\d\d)</text>', body, re.S).group(1)
    want = {d: n for d, n in days.get(sig, {}).items() if d >= first_day}
    assert chart == want, (sig, chart, want)
    bars += len(chart)
    hosts = re.search(r"<th>host</th>.*?</table>", body, re.S).group(0)
    if "--host" in opt:
        assert hosts.count("<tr>") == 1 and opt["--host"] in hosts, (sig, hosts)
    for m in re.findall(r"<tr><td>[0-9-]+ [0-9:]+</td><td>([^<]*)</td>", body):
        assert opt.get("--host", m) == m, (sig, m)
assert bars, "no bars: not a test"
print(f"{len(sections)} charts, {bars} bars")
PY
done
# the rollups of schema 6 filled from the rows by the migration
sql "DROP TABLE sel_sigs; DROP TABLE sel_days; UPDATE coreinspect_meta SET value = '5' WHERE key = 'schema'" x
mkdir "$T/empty"
"$COREINSPECT" index --db "$DB" "$T/empty" > /dev/null 2> "$T/err" || fail "index to migrate: $(cat "$T/err")"
[ "$(sql "SELECT value FROM coreinspect_meta WHERE key = 'schema'")" = 8 ] || fail "not migrated to 8"
run_cases "$T/migrated"
diff -r "$T/out" "$T/migrated" > "$T/diff" || fail "trends after the migration differs: $(head -c 600 "$T/diff")"
echo "ok: trends' filters agree with the rows (also after the migration to schema 8); the page charts the selection"
