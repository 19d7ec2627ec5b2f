#!/bin/bash
# coreinspect dump: the core and members of fixture bundles byte for byte
# as tar and zstd see them, the core sparse in a file, nothing on stderr
# when it is not a terminal (a progress line, for dump and index, only on
# one), one line and exit 2 for a missing member or a
# member of a raw core, exit 64 for a terminal on stdout or no input.
# Usage: dump.sh COREINSPECT
set -uo pipefail
CI_BIN=$(readlink -f "$1")
COREINSPECT=$CI_BIN . "$(dirname "$0")/../bound.sh"
cd "$(dirname "$0")/../.."
OUT=$(mktemp -d "$(dirname "$CI_BIN")/dump.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for f in segv lib threads; do
        b=fixtures/$f.zst
        "$CI_BIN" dump -o "$OUT/$f.core" "$b" 2> "$OUT/err" || fail "$f: dump -o: exit $?"
        [ ! -s "$OUT/err" ] || fail "$f: stderr not empty: $(cat "$OUT/err")"
        tar --zstd -xOf "$b" core > "$OUT/$f.tar"
        cmp "$OUT/$f.core" "$OUT/$f.tar" || fail "$f: dumped core differs from tar's"
        [ "$(stat -c %a "$OUT/$f.core")" = 600 ] || fail "$f: core not mode 0600"
        alloc=$(( $(stat -c %b "$OUT/$f.core") * $(stat -c %B "$OUT/$f.core") ))
        size=$(stat -c %s "$OUT/$f.core")
        [ "$alloc" -lt "$size" ] || fail "$f: core not sparse ($alloc bytes on disk for $size)"
        "$CI_BIN" dump "$b" | cmp - "$OUT/$f.tar" || fail "$f: core on stdout differs"
        "$CI_BIN" dump "$b" meta.json | cmp - <(tar --zstd -xOf "$b" meta.json) || fail "$f: meta.json differs"
        id=$(tar --zstd -tf "$b" | grep -m1 '^files/')
        "$CI_BIN" dump -o "$OUT/$f.elf" "$b" "$id" && cmp "$OUT/$f.elf" <(tar --zstd -xOf "$b" "$id") || fail "$f: $id differs"
        echo "ok: $f: core (sparse, $alloc of $size bytes on disk), meta.json, $id"
done
"$CI_BIN" dump fixtures/segv.core.zst | cmp - <(zstd -dc fixtures/segv.core.zst) || fail "systemd-style zstd core differs"
echo "ok: a plain zstd core"

rc=0; "$CI_BIN" dump -o "$OUT/x" fixtures/segv.zst no/such 2> "$OUT/err" || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l < "$OUT/err")" = 1 ] && [ ! -e "$OUT/x" ] || fail "missing member: exit $rc, $(cat "$OUT/err")"
rc=0; "$CI_BIN" dump fixtures/segv.core.zst meta.json > /dev/null 2> "$OUT/err" || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l < "$OUT/err")" = 1 ] || fail "member of a raw core: exit $rc"
rc=0; "$CI_BIN" dump README.md > /dev/null 2> "$OUT/err" || rc=$?
[ "$rc" = 2 ] || fail "not a bundle: exit $rc"
rc=0; "$CI_BIN" dump > /dev/null 2>&1 || rc=$?
[ "$rc" = 64 ] || fail "no input: exit $rc"
if command -v script > /dev/null; then
        rc=0; script -qec "$CI_BIN dump fixtures/segv.zst" /dev/null > "$OUT/tty" 2>&1 || rc=$?
        [ "$rc" = 64 ] || fail "stdout a terminal: exit $rc, want 64"
        grep -q 'terminal' "$OUT/tty" || fail "stdout a terminal: $(cat "$OUT/tty")"
fi
"$CI_BIN" dump --help | grep -q 'coreinspect dump' || fail "dump --help"
echo "ok: exit codes"

# a progress line on a terminal only: dump of a core over 64 MiB, index
if command -v script > /dev/null; then
        script -qec "$CI_BIN dump -o $OUT/tty.core fixtures/threads.zst" /dev/null > "$OUT/tty" 2>&1
        grep -q 'dumping: ' "$OUT/tty" || fail "no progress line on a terminal: $(cat -v "$OUT/tty")"
        cmp "$OUT/tty.core" "$OUT/threads.tar" || fail "core dumped on a terminal differs"
        script -qec "$CI_BIN index --db $OUT/idx.sqlite fixtures" /dev/null > "$OUT/tty" 2>&1
        grep -q 'indexing 1/' "$OUT/tty" || fail "index: no progress line on a terminal: $(cat -v "$OUT/tty" | head -5)"
        "$CI_BIN" index --db "$OUT/idx2.sqlite" fixtures > /dev/null 2> "$OUT/err"
        ! grep -q 'indexing' "$OUT/err" || fail "index: progress when stderr is not a terminal"
        echo "ok: progress lines on a terminal only"
fi
