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
[ "$rows" = 7 ] || { echo "FAIL: $rows target rows, want 7:"; echo "$out"; exit 1; }
for h in "### Capture" "### Analysis" "### Growth"; do
        grep -q "^$h" <<< "$out" || { echo "FAIL: no '$h' section"; exit 1; }
done
echo "ok: $rows targets rendered (exit $rc)"
