#!/bin/sh
# kmsg_collect against the real /dev/kmsg: a marker written to the kernel log
# must come back, formatted, within the line limit.
# Usage: kmsg.sh TEST_LOGS. Exit 77 (skip) without root or a writable /dev/kmsg.
set -eu

prog=$1
if [ "$(id -u)" -ne 0 ] || [ ! -w /dev/kmsg ]; then
        echo "SKIP: needs root and a writable /dev/kmsg"
        exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; echo "--- output:"; cat "$tmp/out"; exit 1; }

marker="coreinspect-kmsg-test-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
# A tab is not printable: the kernel (or we) must escape it as \x09.
printf '<6>%s\tend\n' "$marker" > /dev/kmsg

"$prog" kmsg /dev/kmsg 50 > "$tmp/out" || fail "exit code $?"

grep -qF "$marker\\x09end" "$tmp/out" || fail "marker $marker not found (escaped)"
lines=$(wc -l < "$tmp/out")
if [ "$lines" -lt 1 ] || [ "$lines" -gt 50 ]; then fail "$lines lines, want 1..50"; fi
# Every line is "[SSSSS.UUUUUU] text"; no dictionary lines, nothing unprintable.
if grep -vqE '^\[[ 0-9]{4}[0-9]+\.[0-9]{6}\] ' "$tmp/out"; then fail "badly formatted line"; fi
if LC_ALL=C grep -q '[^[:print:]]' "$tmp/out"; then fail "non-printable byte in output"; fi
# The marker is the newest record we wrote, so it is within the last lines.
tail -n 5 "$tmp/out" | grep -qF "$marker" || fail "marker not among the newest lines"

# The ring keeps exactly the last N records.
"$prog" kmsg /dev/kmsg 3 > "$tmp/out3" || fail "exit code $? (max 3)"
[ "$(wc -l < "$tmp/out3")" -eq 3 ] || { cp "$tmp/out3" "$tmp/out"; fail "max_lines 3 not respected"; }

# The whole buffer (it holds records with dictionary lines, " KEY=value",
# which must not show up): still one formatted line per record.
"$prog" kmsg /dev/kmsg 100000 > "$tmp/all" || fail "exit code $? (max 100000)"
if grep -vqE '^\[[ 0-9]{4}[0-9]+\.[0-9]{6}\] ' "$tmp/all"; then
        cp "$tmp/all" "$tmp/out"; fail "badly formatted line in the whole buffer"
fi
if grep -qE '\\x0a [A-Z_]+=' "$tmp/all"; then
        cp "$tmp/all" "$tmp/out"; fail "dictionary folded into a line"
fi
grep -qF "$marker" "$tmp/all" || { cp "$tmp/all" "$tmp/out"; fail "marker not in the whole buffer"; }

# Not a kmsg device: an error, not a crash.
if "$prog" kmsg "$tmp/nonexistent" 10 > "$tmp/out" 2> "$tmp/err"; then
        fail "nonexistent path succeeded"
fi
grep -q '^error: -2 ' "$tmp/err" || fail "nonexistent path: want -ENOENT, got $(cat "$tmp/err")"

echo "PASS"
