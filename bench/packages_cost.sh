#!/bin/bash
# What recording the Debian packages of the mapped files (packages.json)
# costs per crash: `corecollect capture` fed a small fake core for a live
# process (no core_pattern needed), N times with packages=1 and N times with
# packages=0; prints the lookup's own CPU and wall time (from packages.json)
# and the handler's whole CPU time both ways (getrusage of the child), min
# and median. The lookup runs after the crashed process is released, so
# none of it delays the crashed service.
# Usage: bench/packages_cost.sh CORECOLLECT [N] [PROGRAM ARGS...]
set -eu
CC=$1
N=${2:-10}
shift $(( $# >= 2 ? 2 : 1 ))
[ $# -gt 0 ] || set -- sleep 600
T=$(mktemp -d "${TMPDIR:-/var/tmp}/pkgcost.XXXXXX")
mkdir -m 700 "$T/store"
"$@" > /dev/null 2>&1 &
VICTIM=$!
trap 'kill $VICTIM 2>/dev/null; rm -rf "$T"' EXIT
sleep 0.5
head -c 4096 /dev/zero > "$T/core"
run() { # packages=0|1 -> handler CPU usec per line
        for i in $(seq 1 "$N"); do
                python3 - "$CC" "$T/store" "$1" "$VICTIM" "$i" "$T/core" <<'PY'
import os, resource, subprocess, sys
cc, store, on, pid, i, core = sys.argv[1:]
before = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(core, "rb") as f:
    subprocess.run([cc, "capture", "--store", store, "--set", "packages=" + on, "--set", "rate_burst=0",
                    "--set", "rate_uid_burst=0", pid, pid, "11", str(1795000000 + int(i) * 2 + int(on)),
                    "0", "0", "1", "-", "victim"], stdin=f, stderr=subprocess.DEVNULL)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(int(((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1e6))
PY
        done
}
run 1 > "$T/on"
for b in "$T"/store/*.zst; do
        zstd -qdc "$b" | tar -xO packages.json
done > "$T/pk"
rm -f "$T"/store/*.zst
run 0 > "$T/off"
python3 - "$T/on" "$T/off" "$T/pk" <<'PY'
import json, statistics, sys
on = [int(l) for l in open(sys.argv[1])]
off = [int(l) for l in open(sys.argv[2])]
dec = json.JSONDecoder()
text, pk, pos = open(sys.argv[3]).read(), [], 0
while pos < len(text.rstrip()):
    obj, end = dec.raw_decode(text, pos)
    pk.append(obj)
    pos = end
    while pos < len(text) and text[pos].isspace():
        pos += 1
ms = lambda v: "%.1f" % (v / 1000)
cpu = [p["cpu_usec"] for p in pk]
wall = [p["usec"] for p in pk]
print("mapped files with a package: %d; dpkg database read: %.1f MB" % (len(pk[0]["files"]), pk[0]["bytes_read"] / 1e6))
print("lookup CPU ms (packages.json cpu_usec): min %s median %s" % (ms(min(cpu)), ms(statistics.median(cpu))))
print("lookup wall ms (packages.json usec):    min %s median %s" % (ms(min(wall)), ms(statistics.median(wall))))
print("handler CPU ms, packages=1: min %s median %s" % (ms(min(on)), ms(statistics.median(on))))
print("handler CPU ms, packages=0: min %s median %s" % (ms(min(off)), ms(statistics.median(off))))
PY
