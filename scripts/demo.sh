#!/bin/bash
# The main job on a real crash: installs corecollect as the kernel's
# core_pattern handler with a temporary store, crashes a small demo program,
# shows the bundle it captured, restores the previous handler, and prints
# coreinspect's report of the crash.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: needs root (it sets core_pattern)" >&2; exit 1; }
[ -x build/corecollect/corecollect ] && [ -x build/analyze/coreinspect ] || bash scripts/setup.sh

DEMO=$(pwd)/build/tests/programs/crash_thread
T=$(mktemp -d /tmp/cc-demo.XXXXXX)
# The handler's and the config's paths go into core_pattern, which the
# kernel limits to 127 bytes: a copy of the handler at a short path keeps
# the demo working from a clone at any depth.
cp build/corecollect/corecollect "$T/corecollect"
CC=$T/corecollect
exec 9> /run/lock/coreinspect-core-pattern.lock # one user of core_pattern at a time
flock -w 600 9
saved_pattern=$(cat /proc/sys/kernel/core_pattern)
saved_limit=$(cat /proc/sys/kernel/core_pipe_limit)
restore() {
        printf '%s\n' "$saved_pattern" > /proc/sys/kernel/core_pattern
        printf '%s\n' "$saved_limit" > /proc/sys/kernel/core_pipe_limit
}
trap restore EXIT

"$CC" install --store "$T/store" --config "$T/cc.conf"
echo "== crashing $DEMO (a worker thread dereferences NULL)"
( ulimit -c unlimited; ulimit -v 1048576; exec "$DEMO" 4 ) || true
# the kernel releases the process once the handler has read its core; the
# bundle is committed when the handler exits (docs/corecollect.md)
for _ in $(seq 1 600); do
        pgrep -f -- "^$CC capture" > /dev/null || break
        sleep 0.1
done
bundle=$(ls -t "$T"/store/*.zst | head -n 1)
echo "== corecollect list --store $T/store"
"$CC" list --store "$T/store"
echo "== members of $bundle (tar --zstd -tvf)"
tar --zstd -tvf "$bundle"
restore
echo "== core_pattern restored to: $(cat /proc/sys/kernel/core_pattern)"
echo "== coreinspect $bundle"
build/analyze/coreinspect "$bundle" || true
echo "bundle kept at $bundle"
