#!/bin/bash
# Journal lines of the crashing pid reach log/journal.txt. No journald runs
# here, so the test writes real journal files with systemd-journal-remote
# from an export stream naming the victim's pid, and points the handler at
# them (journal_dir).
. "$(dirname "$0")/lib.sh"

remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || skip "systemd-journal-remote not installed"
mkdir -p "$T/journal"
install_handler --set "journal_dir=$T/journal"

mkfifo "$T/go"
(
        ulimit -c unlimited
        ulimit -v 1048576
        exec "$PROGRAMS/crash_segv" wait < "$T/go" > "$T/victim.out" 2>&1
) &
exec 3> "$T/go" # keeps the fifo open until we say go
for _ in $(seq 1 100); do grep -q ready "$T/victim.out" 2>/dev/null && break; sleep 0.05; done
vpid=$(pgrep -n -f "$PROGRAMS/crash_segv wait") || fail "victim not running"

now=$(date +%s%6N)
{
        printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=1\n_BOOT_ID=0123456789abcdef0123456789abcdef\n' "$now"
        printf '_PID=%s\n_HOSTNAME=testhost\nSYSLOG_IDENTIFIER=crash_segv\nMESSAGE=victim says hello before crashing\n\n' "$vpid"
        printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=2\n_BOOT_ID=0123456789abcdef0123456789abcdef\n' "$((now - 7200000000))"
        printf '_PID=%s\n_HOSTNAME=testhost\nSYSLOG_IDENTIFIER=other\nMESSAGE=old line of another process\n\n' "$((vpid + 1))"
} | "$remote" -o "$T/journal/remote.journal" - 2>/dev/null || fail "systemd-journal-remote failed"

echo go >&3
exec 3>&-
wait || true
b=$(wait_bundle)
extract "$b" "$T/x"
grep -q "crash_segv\[$vpid\]: victim says hello before crashing" "$T/x/log/journal.txt" ||
        fail "journal line of pid $vpid missing: $(cat "$T/x/log/journal.txt")"
! grep -q "old line of another process" "$T/x/log/journal.txt" || fail "old line of another pid included"
grep -q "crash_segv\[$vpid\]: segfault at 0" "$T/x/log/kernel.txt" || fail "kernel segfault line missing"
pass "journal and kernel lines of pid $vpid captured"
