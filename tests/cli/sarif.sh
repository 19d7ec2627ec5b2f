#!/bin/bash
# coreinspect --sarif on the fixtures: SARIF 2.1.0 with one run and one
# result whose ruleId is the JSON report's class, whose location is the
# crash frame's file:line (a file:// URI) and function, whose related
# locations are the crashing thread's other named frames, and whose
# fingerprint is the signature; the exit code is the report's.
# Usage: sarif.sh COREINSPECT
set -uo pipefail
CI_BIN=$(readlink -f "$1")
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
cd "$(dirname "$0")/../.."
export COREINSPECT_SYSTEM_DEBUG_DIR=
unset DEBUGINFOD_URLS COREINSPECT_DEBUG_DIRS
OUT=$(mktemp -d "$(dirname "$CI_BIN")/sarif.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for f in segv lib inline threads abort classes/stack_smash classes/div_zero; do
        rc1=0; "$CI_BIN" --sarif "fixtures/$f.zst" > "$OUT/s" 2> /dev/null || rc1=$?
        rc2=0; "$CI_BIN" --json "fixtures/$f.zst" > "$OUT/j" 2> /dev/null || rc2=$?
        [ "$rc1" = "$rc2" ] || fail "$f: exit $rc1 with --sarif, $rc2 with --json"
        python3 - "$OUT/s" "$OUT/j" "$f" <<'PY' || exit 1
import json, sys
s = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2])); name = sys.argv[3]
assert s["version"] == "2.1.0" and len(s["runs"]) == 1, name
run = s["runs"][0]
assert run["tool"]["driver"]["name"] == "coreinspect"
cls = j["classification"]["class"]
assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [cls], name
assert len(run["results"]) == 1, name
res = run["results"][0]
assert res["ruleId"] == cls and res["ruleIndex"] == 0 and res["message"]["text"], res
t = next(t for t in j["threads"] if t["crashed"])
cf = j["classification"]["crash_frame"]
ci = next((k for k, f in enumerate(t["frames"]) if cf and f["function"] == cf), 0)
frame = t["frames"][ci]
loc = res["locations"][0]
if frame["file"] and frame["line"]:
    pl = loc["physicalLocation"]
    assert pl["artifactLocation"]["uri"].endswith(frame["file"].split("/")[-1]), pl
    assert pl["region"]["startLine"] == frame["line"], pl
    if frame["file"].startswith("/"):
        assert pl["artifactLocation"]["uri"].startswith("file:///"), pl
if frame["function"]:
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == frame["function"], loc
others = [k for k, f in enumerate(t["frames"]) if k != ci and (f["function"] or f["file"])]
assert [r["id"] for r in res["relatedLocations"]] == others, (res["relatedLocations"], others)
sig = j["signature"] if isinstance(j["signature"], str) else j["signature"].get("hash")
assert res["partialFingerprints"]["coreinspectSignature/v1"] == sig, res["partialFingerprints"]
print("ok: %s: %s at %s:%s, %d related" % (name, cls, frame["file"], frame["line"], len(others)))
PY
done
