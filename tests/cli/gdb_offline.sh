#!/bin/bash
# `coreinspect gdb` where the crashed host's binaries do not exist: in a
# private mount namespace with empty tmpfs over /tmp (the victims) and over
# /usr/lib/x86_64-linux-gnu (libc, ld.so), gdb and coreinspect run from
# copies of their libraries (the loader at /usr/lib64, the rest through
# LD_LIBRARY_PATH). For each fixture, `gdb -batch -ex bt` (past main) must
# name every frame of the crashing thread: no "??", at least as many frames
# as coreinspect's own unwinding, the same crash function. Then: the
# private directory is gone after gdb, after a SIGTERM while gdb runs, and
# after gdb cannot be started; and usage errors exit 64, a file that is no
# bundle 2. Root only (mount namespaces), else exit 77.
# A bundle whose meta.json names paths with ".." places nothing outside it.
# Usage: gdb_offline.sh COREINSPECT REBUNDLE
set -uo pipefail
CI_BIN=$(readlink -f "$1")
REBUNDLE=$(readlink -f "$2")
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
ulimit -c 0
cd "$(dirname "$0")/../.."
command -v gdb > /dev/null || { echo "SKIP: no gdb"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for a mount namespace"; exit 77; }
unshare -m --propagation private true 2>/dev/null || { echo "SKIP: unshare -m not permitted here"; exit 77; }
LIBDIR=/usr/lib/x86_64-linux-gnu
[ -d "$LIBDIR" ] && [ -e /usr/lib64/ld-linux-x86-64.so.2 ] || { echo "SKIP: not a Debian x86_64 layout"; exit 77; }

OUT=$(mktemp -d "$(dirname "$CI_BIN")/gdb-offline.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
FIXTURES="segv lib inline threads abort"

# what coreinspect's unwinding names, outside: crash function and frame count
for f in $FIXTURES; do
        "$CI_BIN" --json "fixtures/$f.zst" > "$OUT/$f.json" 2> /dev/null
        python3 - "$OUT/$f.json" > "$OUT/$f.want" <<'PY' || fail "$f: no coreinspect report"
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in d["threads"] if t["crashed"])
print(t["frames"][0]["function"], len(t["frames"]))
PY
done

# the libraries gdb (with its python modules) and coreinspect need
{ ldd "$(command -v gdb)"; ldd "$CI_BIN"; for m in /usr/lib/python3*/lib-dynload/*.so; do ldd "$m"; done; } 2>/dev/null |
        awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u > "$OUT/libs"

unshare -m --propagation private env OUT="$OUT" CI_BIN="$CI_BIN" LIBDIR="$LIBDIR" FIXTURES="$FIXTURES" bash -c '
set -u
mount -t tmpfs tmpfs /tmp || exit 90
RT=/tmp/.runtime
mkdir "$RT" "$RT/tmp" || exit 91
while read -r lib; do cp -L "$lib" "$RT/" || exit 92; done < "$OUT/libs"
mkdir "$RT/lib64" || exit 92
cp -L /usr/lib64/ld-linux-x86-64.so.2 "$RT/lib64/" || exit 92
# the loader stays where programs look for it, the libraries come from $RT
mount --bind "$RT/lib64" /usr/lib64 || exit 93
export LD_LIBRARY_PATH=$RT TMPDIR=$RT/tmp
shopt -s nullglob
mount -t tmpfs tmpfs "$LIBDIR" || exit 93
[ ! -e "$LIBDIR/libc.so.6" ] && [ ! -e /tmp/coreinspect-fixtures ] || exit 95
for f in $FIXTURES; do
        "$CI_BIN" gdb "fixtures/$f.zst" -- -batch -ex "set backtrace past-main on" -ex bt > "$OUT/$f.gdb" 2>&1
        echo $? > "$OUT/$f.rc"
        left=("$TMPDIR"/* "$TMPDIR"/.[!.]*) # a builtin: ls has lost its libraries here
        printf "%s\n" "${left[@]}" > "$OUT/$f.left"
done
' || fail "setting up the namespace failed (step $?)"

for f in $FIXTURES; do
        [ "$(cat "$OUT/$f.rc")" = 0 ] || fail "$f: coreinspect gdb exit $(cat "$OUT/$f.rc"): $(tail -5 "$OUT/$f.gdb")"
        [ -z "$(tr -d '\n' < "$OUT/$f.left")" ] || fail "$f: left behind in TMPDIR: $(cat "$OUT/$f.left")"
        python3 - "$OUT/$f.gdb" "$OUT/$f.want" "$f" <<'PY' || exit 1
import re, sys
text = open(sys.argv[1], errors="replace").read()
fn, n = open(sys.argv[2]).read().split()
# the backtrace: the last run of lines from "#0" on
lines = text.splitlines()
start = max(i for i, l in enumerate(lines) if l.startswith("#0 "))
frames = [l for l in lines[start:] if re.match(r"#\d+ ", l)]
bad = [l for l in frames if "??" in l or not re.match(r"#\d+\s+(0x[0-9a-f]+ in )?[A-Za-z_][\w.@]* \(", l)]
if bad:
    sys.exit("FAIL: %s: unnamed frames in gdb:\n%s\n%s" % (sys.argv[3], "\n".join(bad), text[-1500:]))
if len(frames) < int(n):
    sys.exit("FAIL: %s: gdb shows %d frames, coreinspect %s:\n%s" % (sys.argv[3], len(frames), n, text[-1500:]))
if not re.match(r"#0\s+(0x[0-9a-f]+ in )?%s \(" % re.escape(fn), frames[0]):
    sys.exit("FAIL: %s: gdb's frame #0 is not %s: %s" % (sys.argv[3], fn, frames[0]))
print("ok: %s: %d frames named, #0 %s" % (sys.argv[3], len(frames), fn))
PY
done

# a signal while gdb runs: gdb ends, the directory goes, the exit says so
mkdir "$OUT/tmp"
cat > "$OUT/slowgdb" <<'SH'
#!/bin/sh
touch "$STARTED"; exec sleep 60
SH
chmod +x "$OUT/slowgdb"
STARTED=$OUT/started TMPDIR=$OUT/tmp COREINSPECT_GDB=$OUT/slowgdb "$CI_BIN" gdb fixtures/segv.zst & pid=$!
for _ in $(seq 100); do [ -e "$OUT/started" ] && break; sleep 0.1; done
[ -e "$OUT/started" ] || fail "the stand-in gdb never started"
ls "$OUT/tmp" | grep -q '^coreinspect-gdb\.' || fail "no private directory while gdb runs"
[ "$(stat -c %a "$OUT"/tmp/coreinspect-gdb.*)" = 700 ] || fail "the private directory is not 0700"
kill -TERM "$pid"
wait "$pid"; rc=$?
[ "$rc" = 143 ] || fail "after SIGTERM: exit $rc, want 143"
[ -z "$(ls -A "$OUT/tmp")" ] || fail "after SIGTERM the directory is left: $(ls -A "$OUT/tmp")"
echo "ok: SIGTERM: gdb stopped, directory removed"

rc=0; TMPDIR=$OUT/tmp COREINSPECT_GDB=$OUT/no-such-gdb "$CI_BIN" gdb fixtures/segv.zst 2> "$OUT/err" || rc=$?
[ "$rc" = 127 ] || fail "a gdb that cannot start: exit $rc, want 127"
[ -z "$(ls -A "$OUT/tmp")" ] || fail "gdb missing: the directory is left"
rc=0; "$CI_BIN" gdb 2> /dev/null || rc=$?
[ "$rc" = 64 ] || fail "no bundle: exit $rc, want 64"
rc=0; "$CI_BIN" gdb fixtures/segv.zst -batch 2> /dev/null || rc=$?
[ "$rc" = 64 ] || fail "gdb arguments without --: exit $rc, want 64"
rc=0; "$CI_BIN" gdb README.md 2> "$OUT/err" || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l < "$OUT/err")" = 1 ] || fail "not a bundle: exit $rc, want 2 and one line: $(cat "$OUT/err")"
"$CI_BIN" gdb --help | grep -q 'coreinspect gdb' || fail "gdb --help"
echo "ok: exit codes"

# meta.json from elsewhere: paths with "..", "." or empty components never
# place a file outside the private directory (the sysroot keeps the plain ones)
python3 - "$OUT/meta.json" "$OUT" <<PY || fail "cannot write the hostile meta.json"
import json, subprocess, sys
m = json.loads(subprocess.run(["tar", "--zstd", "-xOf", "fixtures/lib.zst", "meta.json"], capture_output=True).stdout)
out = sys.argv[2]
for e in m["mapped_files"]:
    if e["path"].endswith("libcrashlib.so"):
        e["path"] = "/../../../../.." + out + "/escape1"
    elif e["path"].endswith("libc.so.6"):
        e["path"] = "/usr/./lib/../../../.." + out + "/escape2"
json.dump(m, open(sys.argv[1], "w"))
PY
"$REBUNDLE" fixtures/lib.zst "$OUT/hostile.zst" --put "meta.json=$OUT/meta.json" || fail "rebundle"
cat > "$OUT/treegdb" <<'SH'
#!/bin/sh
find "$TMPDIR" -mindepth 1 | sed "s|^$TMPDIR/[^/]*||" | sort > "$TREE"
SH
chmod +x "$OUT/treegdb"
rm -rf "$OUT/tmp"; mkdir "$OUT/tmp"
TREE=$OUT/tree TMPDIR=$OUT/tmp COREINSPECT_GDB=$OUT/treegdb "$CI_BIN" gdb "$OUT/hostile.zst" || fail "hostile paths: exit $?"
[ ! -e "$OUT/escape1" ] && [ ! -e "$OUT/escape2" ] || fail "a meta.json path escaped the private directory"
grep -q '/root/tmp/coreinspect-fixtures/bin/crash_in_lib$' "$OUT/tree" || fail "the plain paths are not in the sysroot: $(cat "$OUT/tree")"
! grep -q 'escape' "$OUT/tree" || fail "a hostile path was placed: $(cat "$OUT/tree")"
[ -z "$(ls -A "$OUT/tmp")" ] || fail "directory left after the hostile bundle"
echo "ok: hostile meta.json paths stay out"
