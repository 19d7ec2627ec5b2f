#!/bin/bash
# The store under pressure: a crash storm is rate-limited per executable and
# the skipped crashes are counted; the quota removes the oldest bundles
# first; a full disk leaves no half bundle and destroys no earlier one.
# Part 3 mounts a small tmpfs for the handler to fill.
. "$(dirname "$0")/handler_ns.sh"
. "$(dirname "$0")/lib.sh"

# 1. crash storm: 12 crashes of one program, at most 3 per minute kept
install_handler --set rate_burst=3 --set rate_interval_s=60
for _ in $(seq 1 12); do crash "$PROGRAMS/crash_segv"; done
n=$(ls "$STORE"/*.zst | wc -l)
[ "$n" = 3 ] || fail "crash storm: $n bundles, want 3"
"$CORECOLLECT" list --store "$STORE" > "$T/list"
skipped=$(awk -v exe="$PROGRAMS/crash_segv" '$2 == 0 && $3 == exe {print $1}' "$T/list")
[ "$skipped" = 9 ] || fail "crash storm: skipped count '$skipped', want 9: $(cat "$T/list")"
crash "$PROGRAMS/crash_abort" # another executable is not limited by the first
[ "$(ls "$STORE"/*.zst | wc -l)" = 4 ] || fail "crash storm: another program was limited too"
pass "crash storm: 3 of 12 kept, 9 counted as skipped, other programs unaffected"

# 2. quota: at most ~2 bundles fit; the oldest go first
rm -f "$STORE"/*.zst "$STORE"/.ratelimit* "$STORE"/.skipped*
install_handler --set max_store=2600K --set rate_burst=0
for i in 1 2 3 4; do
        crash "$PROGRAMS/crash_segv"
        b=$(wait_bundle)
        touch -d "-$((10 - i)) minutes" "$b" # distinct ages, oldest first
        echo "$b" >> "$T/order"
done
left=$(ls "$STORE"/*.zst | wc -l)
[ "$left" -ge 1 ] && [ "$left" -le 3 ] || fail "quota: $left bundles left"
tail -n 1 "$T/order" | xargs test -f || fail "quota removed the newest bundle"
head -n 1 "$T/order" | xargs test -f && fail "quota kept the oldest bundle"
used=$(du -sk "$STORE" | cut -f1)
[ "$used" -le 2700 ] || fail "quota: store uses ${used} KiB"
pass "quota: $left bundles left within max_store, oldest removed first"

# 3. full disk: a 3 MiB tmpfs store; a big core cannot fit
mkdir -p "$T/small"
mount -t tmpfs -o size=3m tmpfs "$T/small" || skip "cannot mount tmpfs"
on_exit "umount '$T/small' 2>/dev/null"
STORE=$T/small/store
install_handler --set keep_free=0 --set max_store=0 --set rate_burst=0
crash "$PROGRAMS/crash_segv"
good=$(wait_bundle)
sum=$(sha256sum "$good" | cut -d' ' -f1)
crash "$PROGRAMS/crash_heap" 64 # random heap: does not fit
sleep 0.5
[ "$(ls "$STORE"/*.zst | wc -l)" = 1 ] || fail "disk full: a bundle appeared: $(ls "$STORE")"
! ls -A "$STORE" | grep -q "^\.tmp-" || fail "disk full: a temporary file was left behind"
[ "$(sha256sum "$good" | cut -d' ' -f1)" = "$sum" ] || fail "disk full: the earlier bundle changed"
"$COREINSPECT" "$good" > /dev/null || fail "disk full: the earlier bundle no longer reads"
dmesg | tail -n 50 | grep -q "corecollect\[[0-9]*\]: bundle for pid [0-9]* not written: No space left on device" ||
        fail "disk full: no line in the kernel log"
pass "disk full: no half bundle, earlier bundle intact, one line in the kernel log"
