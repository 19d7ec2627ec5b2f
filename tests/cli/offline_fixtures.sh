#!/bin/bash
# Every fixture (fixtures/**/*.zst: bundles and the raw core) analysed where
# the binaries of the crashed processes do not exist: in a private mount
# namespace with an empty tmpfs over /tmp and over every directory that held
# them (from the bundles' meta.json and the cores' NT_FILE notes: the
# victims under /tmp, libc and ld.so under /usr/lib/x86_64-linux-gnu).
# coreinspect runs there from copies of its own libraries, through their
# dynamic loader. Each analysis must exit 0 or 1 within its time (never a
# signal, never a timeout), each fixtures/classes bundle must get the class
# and crash frame of fixtures/classes/expected.tsv, and `coreinspect index`
# over the fixtures must not fail either. Root only (mount namespaces),
# else exit 77.
# Usage: offline_fixtures.sh COREINSPECT
set -uo pipefail
CI_BIN=$(readlink -f "$1")
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
ulimit -c 0 # an analyzer that crashes must not feed its core to whatever handler is installed
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for a mount namespace"; exit 77; }
unshare -m --propagation private true 2>/dev/null || { echo "SKIP: unshare -m not permitted here"; exit 77; }

# results live beside the binary under test, not under /tmp (hidden below)
OUT=$(mktemp -d "$(dirname "$CI_BIN")/offline-fixtures.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

find fixtures -name '*.zst' | sort > "$OUT/inputs"
[ -s "$OUT/inputs" ] || fail "no fixtures"
# the directories of the crashed processes' files
python3 - "$OUT/inputs" > "$OUT/dirs" <<'PY' || fail "cannot read the fixtures' paths"
import json, os, struct, subprocess, sys
dirs = set()
def nt_file(core):
    # the NT_FILE note (type 0x46494c45) of an ELF core: count, page size,
    # (start, end, offset) * count, then the paths
    phoff, = struct.unpack_from("<Q", core, 32)
    phnum, = struct.unpack_from("<H", core, 56)
    for i in range(phnum):
        p_type, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", core, phoff + 56 * i)
        if p_type != 4:
            continue
        pos, end = off, off + filesz
        while pos + 12 <= end:
            nsz, dsz, typ = struct.unpack_from("<III", core, pos)
            desc = pos + 12 + ((nsz + 3) & ~3)
            if typ == 0x46494C45:
                count, = struct.unpack_from("<Q", core, desc)
                names = core[desc + 16 + 24 * count:desc + dsz].split(b"\0")
                yield from (n.decode("utf-8", "replace") for n in names[:count])
            pos = desc + ((dsz + 3) & ~3)
for path in open(sys.argv[1]).read().split():
    members = subprocess.run(["tar", "--zstd", "-tf", path], capture_output=True, text=True).stdout.split()
    if "meta.json" in members:
        meta = json.loads(subprocess.run(["tar", "--zstd", "-xOf", path, "meta.json"], capture_output=True).stdout)
        files = [m["path"] for m in meta.get("mapped_files", [])] + [meta.get("exe") or ""]
    else:
        files = list(nt_file(subprocess.run(["zstd", "-dc", path], capture_output=True).stdout))
    dirs.update(os.path.dirname(f) for f in files if f.startswith("/"))
for d in sorted(dirs):
    print(d)
PY
grep -qx /usr/lib/x86_64-linux-gnu "$OUT/dirs" || fail "expected libc's directory among $(tr '\n' ' ' < "$OUT/dirs")"

# what coreinspect and timeout need to run once those directories are gone,
# and capstone, which coreinspect loads when it first decodes an
# instruction (analyze/cs.h; it needs libc only)
CAPSTONE=$(ldconfig -p | awk '$1 == "libcapstone.so.4" && /x86-64/ {print $NF; exit}')
[ -n "$CAPSTONE" ] || fail "no libcapstone.so.4 in ldconfig -p"
{ ldd "$CI_BIN"; ldd "$(command -v timeout)"; echo "$CAPSTONE"; } |
        awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u > "$OUT/libs"
LOADER=$(grep -m1 '/ld-linux' "$OUT/libs") || fail "no dynamic loader in ldd's output"
# Under AddressSanitizer, started through the loader by hand, LeakSanitizer
# counts the loader's own TLS block of the main thread (allocate_dtv) as a
# leak and turns exit 0 into 1: that one is not ours.
echo "leak:allocate_dtv" > "$OUT/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$OUT/lsan.supp
TIMEOUT=$(command -v timeout)

unshare -m --propagation private env OUT="$OUT" CI_BIN="$CI_BIN" LOADER="$LOADER" TIMEOUT="$TIMEOUT" bash -c '
set -u
mount -t tmpfs tmpfs /tmp || exit 90
RT=/tmp/.runtime
mkdir "$RT" || exit 91
while read -r lib; do cp -L "$lib" "$RT/" || exit 92; done < "$OUT/libs"
cp -L "$TIMEOUT" "$RT/timeout" || exit 92
L=$RT/$(basename "$LOADER")
shopt -s nullglob
while read -r d; do
        if [ -d "$d" ]; then mount -t tmpfs tmpfs "$d" || exit 93; fi
        left=("$d"/*)
        [ ${#left[@]} = 0 ] || exit 94
done < "$OUT/dirs"
[ ! -e /usr/lib/x86_64-linux-gnu/libc.so.6 ] || exit 95
run() { "$L" --library-path "$RT" "$RT/timeout" -k 5 120 "$L" --library-path "$RT" "$CI_BIN" "$@"; }
n=0
while read -r input; do
        n=$((n + 1))
        rc=0
        run --json "$input" > "$OUT/$n.json" 2> "$OUT/$n.err" || rc=$?
        printf "%s\t%s\n" "$rc" "$input" >> "$OUT/results"
done < "$OUT/inputs"
rc=0
run index --db "$OUT/index.sqlite" fixtures fixtures/classes > "$OUT/index.out" 2>&1 || rc=$?
printf "%s\tindex\n" "$rc" >> "$OUT/results"
'
rc=$?
[ "$rc" = 0 ] || fail "setting up the namespace failed (step $rc)"

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
inputs = open(os.path.join(out, "inputs")).read().split()
results = [l.split("\t") for l in open(os.path.join(out, "results")).read().splitlines()]
want = {}
for line in open("fixtures/classes/expected.tsv"):
    name, cls, frame = line.rstrip("\n").split("\t")
    want["fixtures/classes/%s.zst" % name] = (cls, frame)
bad = 0
for n, (rc, what) in enumerate(results, 1):
    rc = int(rc)
    if rc not in (0, 1):
        why = "timeout" if rc in (124, 137) else "signal %d" % (rc - 128) if rc > 128 else "exit %d" % rc
        err = open(os.path.join(out, "index.out" if what == "index" else "%d.err" % n)).read()[-400:]
        print("FAIL: %s: %s: %s" % (what, why, err), file=sys.stderr)
        bad += 1
        continue
    err = open(os.path.join(out, "index.out" if what == "index" else "%d.err" % n), errors="replace").read()
    if "Sanitizer" in err or "runtime error" in err:
        print("FAIL: %s: %s" % (what, err[-2000:]), file=sys.stderr)
        bad += 1
        continue
    if what == "index":
        print("ok: index of the fixtures: exit %d" % rc)
        continue
    d = json.load(open(os.path.join(out, "%d.json" % n)))
    c = d["classification"]
    if what in want and (c["class"], c["crash_frame"] or "") != want[what]:
        print("FAIL: %s: got %s in %s, want %s in %s" % (what, c["class"], c["crash_frame"], *want[what]), file=sys.stderr)
        bad += 1
        continue
    print("ok: %s: exit %d, %s in %s" % (what, rc, c["class"], c["crash_frame"]))
assert len(results) == len(inputs) + 1, "not every fixture was analysed"
sys.exit(1 if bad else 0)
PY
