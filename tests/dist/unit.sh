#!/bin/bash
# dist/corecollect-oom-watch.service: systemd accepts it (no unknown keys,
# hardening settings this systemd knows), and its ExecStart is a command line
# corecollect runs: the watcher starts and, with no OOM kill, times out (3).
# No root needed; skipped (77) without systemd-analyze.
set -u
UNIT=$1
CORECOLLECT=$2
command -v systemd-analyze > /dev/null || { echo "SKIP: no systemd-analyze"; exit 77; }
T=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/verify.sh"

grep -q '^ExecStart=/.*/corecollect oom-watch' "$UNIT" || fail "ExecStart: $(grep ExecStart "$UNIT")"
grep -q '^OOMScoreAdjust=-1000$' "$UNIT" || fail "the watcher must not be an OOM victim itself"
grep -q '^Restart=always$' "$UNIT" || fail "Restart"

# verify checks that ExecStart's program exists: point it at this build
sed "s|^ExecStart=[^ ]*corecollect |ExecStart=$CORECOLLECT |" "$UNIT" > "$T/corecollect-oom-watch.service"
verify_units "$T" corecollect-oom-watch.service

# run ExecStart's command line as systemd would split it (no shell)
read -r -a argv <<< "$(sed -n 's/^ExecStart=//p' "$T/corecollect-oom-watch.service")"
mkfifo "$T/kmsg"
exec 3<> "$T/kmsg" # a writer that stays: the watcher waits in poll
rc=0
"${argv[@]}" --store "$T/store" --kmsg "$T/kmsg" --timeout 1 > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 3 ] || fail "'${argv[*]}' exit $rc (want 3: timed out without a kill): $(cat "$T/err")"
[ -d "$T/store" ] || fail "the watcher did not open its store"
echo "ok: unit verified; '${argv[*]##*/}' runs"
