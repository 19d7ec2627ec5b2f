#!/bin/bash
# bench/run --render re-prints the table of a saved results file: the report
# code runs on the committed bench/results/latest.json (no root, no victim)
# and every target comes out MET or MISSED.
set -u
RUN=$1
RESULTS=$2
out=$(python3 "$RUN" --render "$RESULTS")
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || { echo "FAIL: bench/run --render exit $rc"; exit 1; }
rows=$(sed -n '/^### Targets/,$p' <<< "$out" | grep -cE '\| (MET|MISSED) \|$')
# 7 of the victim, then the handler's CPU and release time, 2 per analysis
# case and index (a results file from before they were measured has fewer)
want=$(python3 - "$RESULTS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cap = r["main"]["capture"].get("corecollect capture", {})
n = 7 + 1 + bool(cap.get("release_seconds"))
n += 2 * sum(1 for c in r.get("cases", {}).values() if "analysis" in c) + bool(r.get("index"))
print(n)
PY
)
[ "$rows" = "$want" ] || { echo "FAIL: $rows target rows, want $want:"; echo "$out"; exit 1; }
for h in "### Capture" "### Analysis" "### Growth"; do
        grep -q "^$h" <<< "$out" || { echo "FAIL: no '$h' section"; exit 1; }
done
if python3 -c 'import json, sys; sys.exit(not json.load(open(sys.argv[1])).get("cases"))' "$RESULTS"; then
        for h in "### Analysis case: python3.11-dbg" "### Analysis case: c++ big debug info" "### Index"; do
                grep -q "^$h" <<< "$out" || { echo "FAIL: no '$h' section"; exit 1; }
        done
fi
echo "ok: $rows targets rendered (exit $rc)"
