#!/bin/bash
# dist/coreinspect-index.service and .timer: systemd accepts them, and the
# service's ExecStart, run with its Environment= (the store pointed at a
# directory holding one fixture bundle), indexes that bundle into the
# database the unit names. No root needed; skipped (77) without
# systemd-analyze.
set -u
UNIT=$1
TIMER=$2
COREINSPECT=$3
BUNDLE=$4
command -v systemd-analyze > /dev/null || { echo "SKIP: no systemd-analyze"; exit 77; }
. "$(dirname "$0")/../bound.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/verify.sh"

grep -q '^ExecStart=/.*/coreinspect index /var/lib/corecollect$' "$UNIT" || fail "ExecStart: $(grep ExecStart "$UNIT")"
grep -q '^SuccessExitStatus=1$' "$UNIT" || fail "one bad bundle must not fail the unit"
grep -q '^Unit=\|^OnUnitActiveSec=' "$TIMER" || fail "timer: nothing starts it again"

grep -q '^RandomizedDelaySec=' "$TIMER" || fail "timer: every host of a fleet would start at once"
grep -q '^ExecStartPost=/.*/coreinspect expire --older-than ${COREINSPECT_EXPIRE} ' "$UNIT" || fail "no expire"
sed "s|^\(ExecStart[A-Za-z]*\)=[^ ]*coreinspect |\1=$COREINSPECT |" "$UNIT" > "$T/coreinspect-index.service"
cp "$TIMER" "$T/"
verify_units "$T" coreinspect-index.service coreinspect-index.timer

# ExecStart as systemd would run it, with the unit's environment, the store
# and the state directory moved into $T
db=$(sed -n 's/^Environment=COREINSPECT_DB=//p' "$UNIT")
[ "$db" = /var/lib/coreinspect/index.sqlite ] || fail "COREINSPECT_DB: $db"
read -r -a argv <<< "$(sed -n 's/^ExecStart=//p' "$T/coreinspect-index.service")"
mkdir "$T/store"
cp "$BUNDLE" "$T/store/"
argv[${#argv[@]} - 1]=$T/store
rc=0
COREINSPECT_DB=$T${db} "${argv[@]}" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 0 ] || fail "'${argv[*]}' exit $rc: $(cat "$T/err")"
grep -q "^indexed 1 new crash, " "$T/out" || fail "$(cat "$T/out")"
[ -s "$T$db" ] || fail "no database at the unit's path"
# ExecStartPost: expire with the unit's settings
eval "$(sed -n 's/^Environment=\(COREINSPECT_EXPIRE=.*\)/\1/p' "$UNIT")"
[ "$COREINSPECT_EXPIRE" = 90d ] && [ "$COREINSPECT_EXPIRE_ROLLUPS" = 400d ] || fail "expire settings"
post=$(sed -n 's/^ExecStartPost=//p' "$T/coreinspect-index.service")
post=${post//'${COREINSPECT_EXPIRE}'/$COREINSPECT_EXPIRE}
post=${post//'${COREINSPECT_EXPIRE_ROLLUPS}'/$COREINSPECT_EXPIRE_ROLLUPS}
read -r -a argv <<< "$post"
COREINSPECT_DB=$T${db} "${argv[@]}" > "$T/out" 2> "$T/err" || fail "'${argv[*]}': $(cat "$T/err")"
grep -q "^expired " "$T/out" || fail "expire: $(cat "$T/out")"
echo "ok: units verified; ExecStart indexed the store, ExecStartPost expired"
