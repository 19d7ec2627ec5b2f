#!/bin/bash
# journal_collect against real journal files: entries are written in Journal
# Export Format and turned into .journal files by systemd-journal-remote, then
# the collector's output is compared line by line with what it must print.
# Usage: journal.sh TEST_LOGS. Exit 77 (skip) without systemd-journal-remote.
set -euo pipefail

prog=$1
remote=/lib/systemd/systemd-journal-remote
if [ ! -x "$remote" ]; then
        echo "SKIP: $remote not installed (package systemd-journal-remote)"
        exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
        echo "FAIL: $*"
        if [ -f "$tmp/expected" ]; then echo "--- expected:"; cat "$tmp/expected"; fi
        if [ -f "$tmp/out" ]; then echo "--- got:"; cat "$tmp/out"; fi
        exit 1
}

now=$(date +%s%6N)                  # µs since the epoch
boot=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
mono_base=$((now - 7200 * 1000000)) # monotonic = realtime - mono_base, same boot

# entry REALTIME PID HOST IDENT_FIELD IDENT MESSAGE: one export-format entry.
# MESSAGE is written in the binary form (name, newline, 64-bit little-endian
# length, data) so it may hold any byte.
entry() {
        local t=$1 pid=$2 host=$3 identfield=$4 ident=$5 msg=$6 len i
        printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n' \
                "$t" $((t - mono_base)) "$boot"
        printf '_PID=%s\n_HOSTNAME=%s\n%s=%s\n' "$pid" "$host" "$identfield" "$ident"
        printf 'MESSAGE\n'
        len=$(printf '%s' "$msg" | wc -c)
        for i in 0 8 16 24 32 40 48 56; do
                # shellcheck disable=SC2059
                printf "\\$(printf '%03o' $(((len >> i) & 255)))"
        done
        printf '%s\n\n' "$msg"
}

sec=1000000
t1=$((now - 3600 * sec)); t2=$((now - 3000 * sec)); t3=$((now - 2000 * sec))
t4=$((now - 1000 * sec)); t5=$((now - 20 * sec)); t6=$((now - 10 * sec))
t7=$((now - 5 * sec))
binmsg=$(printf 'recent-other-2\001tab\tnl\nback\\slash')

# Two files, so sd-journal has to interleave them: the target's entries in
# one, everyone else's in the other.
{
        entry "$t2" 4242 h1 SYSLOG_IDENTIFIER target target-old-1
        entry "$t3" 4242 h1 _COMM targetcomm target-old-2
        entry "$t6" 4242 h1 SYSLOG_IDENTIFIER target target-recent
} > "$tmp/target.export"
{
        entry "$t1" 1001 h2 SYSLOG_IDENTIFIER olddaemon old-other-1
        entry "$t4" 1002 h2 SYSLOG_IDENTIFIER olddaemon old-other-2
        entry "$t5" 1003 h2 SYSLOG_IDENTIFIER recent recent-other-1
        entry "$t7" 1004 h2 SYSLOG_IDENTIFIER binary "$binmsg"
} > "$tmp/other.export"

# journal-remote wants an existing directory and an output name ending in
# .journal; "-" reads an export stream from stdin.
mkdir "$tmp/j"
"$remote" --output="$tmp/j/target.journal" - < "$tmp/target.export" 2> "$tmp/remote.log" ||
        { cat "$tmp/remote.log"; fail "systemd-journal-remote (target)"; }
"$remote" --output="$tmp/j/other.journal" - < "$tmp/other.export" 2>> "$tmp/remote.log" ||
        { cat "$tmp/remote.log"; fail "systemd-journal-remote (other)"; }

iso() {
        printf '%s.%06d+0000' "$(date -u -d "@$(($1 / sec))" +%Y-%m-%dT%H:%M:%S)" $(($1 % sec))
}
l1="$(iso "$t1") h2 olddaemon[1001]: old-other-1"
l2="$(iso "$t2") h1 target[4242]: target-old-1"
l3="$(iso "$t3") h1 targetcomm[4242]: target-old-2"
l4="$(iso "$t4") h2 olddaemon[1002]: old-other-2"
l5="$(iso "$t5") h2 recent[1003]: recent-other-1"
l6="$(iso "$t6") h1 target[4242]: target-recent"
l7="$(iso "$t7") h2 binary[1004]: recent-other-2\\x01tab\\x09nl\\x0aback\\x5cslash"

# check DESCRIPTION ARGS... -- EXPECTED_LINE...: runs the collector and
# compares its whole output.
check() {
        local what=$1 args=() line
        shift
        while [ "$1" != -- ]; do args+=("$1"); shift; done
        shift
        : > "$tmp/expected"
        for line in "$@"; do printf '%s\n' "$line" >> "$tmp/expected"; done
        "$prog" journal "${args[@]}" > "$tmp/out" || fail "$what: exit code $?"
        cmp -s "$tmp/expected" "$tmp/out" || fail "$what: output differs"
}

# The target's lines at any age, other pids' only within the last minute, in
# time order across both files; MESSAGE bytes escaped.
check "pid + 60 s" "$tmp/j" 4242 60 100 -- "$l2" "$l3" "$l5" "$l6" "$l7"
grep -q old-other "$tmp/out" && fail "old lines of other pids present"

# max_lines keeps the newest, across the window/pid boundary too.
check "max 4" "$tmp/j" 4242 60 4 -- "$l3" "$l5" "$l6" "$l7"
check "max 2" "$tmp/j" 4242 60 2 -- "$l6" "$l7"
check "max 0" "$tmp/j" 4242 60 0 --

# A pid with no entries: only the window. No window: only the pid.
check "other pid" "$tmp/j" 9999 60 100 -- "$l5" "$l6" "$l7"
check "0 s" "$tmp/j" 4242 0 100 -- "$l2" "$l3" "$l6"
# A window covering everything: every entry once.
check "2 h" "$tmp/j" 4242 7200 100 -- "$l1" "$l2" "$l3" "$l4" "$l5" "$l6" "$l7"

# An empty directory: no journal files, 0 and nothing appended.
mkdir "$tmp/empty"
check "empty dir" "$tmp/empty" 4242 60 100 --

# A directory that does not exist: -ENOENT from sd_journal_open_directory().
rm -f "$tmp/expected"
if "$prog" journal "$tmp/nonexistent" 4242 60 100 > "$tmp/out" 2> "$tmp/err"; then
        fail "nonexistent dir: succeeded"
fi
grep -q '^error: -2 ' "$tmp/err" || fail "nonexistent dir: want -ENOENT, got: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "nonexistent dir: printed something"

# The local journal (none on a machine without journald): must not fail.
"$prog" journal - 1 60 10 > "$tmp/out" || fail "local journal: exit code $?"

echo "PASS"
