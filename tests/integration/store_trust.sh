#!/bin/bash
# The store against its users: an exe path with newlines cannot forge
# rate-limit records; one uid's crash storm neither evicts another uid's
# recent bundles nor takes more than its share; a store that others may
# write is refused; a capture that fails (stopped by a signal) leaves no
# file and does not count toward the rate limit.
# Part 6 mounts a ramfs for the handler to write to.
. "$(dirname "$0")/handler_ns.sh"
. "$(dirname "$0")/lib.sh"
command -v setpriv > /dev/null || skip "setpriv (util-linux) missing"

chmod 755 "$T" # nobody runs programs from $T/bin; the store inside stays 0700
mkdir -p "$T/bin"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# crash_as_nobody PROG: crash PROG as nobody (cores on, memory bounded)
crash_as_nobody() {
        (
                ulimit -c unlimited
                ulimit -v 4194304
                exec "${NOBODY[@]}" "$@"
        ) < /dev/null > /dev/null 2>&1 || true
        wait_handlers
}
# bundles_of UID [EXE-PREFIX]: how many bundles hold crashes of uid UID (of
# an exe path starting with EXE-PREFIX, default $T/ and $PROGRAMS/: crashes
# of other programs on the machine while our handler is installed do not
# count)
bundles_of() {
        python3 - "$STORE" "$1" "${2:-}" "$T/" "$PROGRAMS/" <<'PY'
import json, os, subprocess, sys
store, uid, prefix, t, progs = sys.argv[1:]
prefixes = [prefix] if prefix else [t, progs]
n = 0
for f in os.listdir(store):
    if f.startswith(".") or not f.endswith(".zst"):
        continue
    try:
        meta = subprocess.run("zstd -dc '%s' | tar -xOf - meta.json" % os.path.join(store, f), shell=True,
                              capture_output=True).stdout
        d = json.loads(meta)
    except (ValueError, OSError):
        continue
    if str(d.get("uid")) == uid and any(str(d.get("exe", "")).startswith(p) for p in prefixes):
        n += 1
print(n)
PY
}
bundles() { echo $(($(bundles_of 0) + $(bundles_of 65534))); }

# 1. Forged rate-limit records. The old "TIME EXE" lines took the exe path
# raw: an exe named "x\nTIME $VICTIM\n..." wrote lines that counted as
# captures of $VICTIM and suppressed its crashes for up to an hour.
VICTIM=$T/bin/victim
cp "$PROGRAMS/crash_segv" "$VICTIM"
future=$(($(date +%s) + 1800))
evil="$T/bin/x"
for _ in 1 2 3; do evil="$evil"$'\n'"$future $VICTIM"; done
mkdir -p "$(dirname "$evil")"
cp "$PROGRAMS/crash_segv" "$evil"
chmod -R a+rX "$T/bin"
install_handler --set rate_burst=3 --set rate_interval_s=3600 --set max_store=0 --set keep_free=0
crash_as_nobody "$evil"
[ "$(bundles)" = 1 ] || fail "forgery: the forger's crash was not captured"
crash "$VICTIM"
[ "$(bundles)" = 2 ] || fail "forgery: a crafted exe path suppressed the capture of $VICTIM"
for _ in 1 2 3; do crash_as_nobody "$evil"; done
[ "$(bundles)" = 4 ] || fail "forgery: $(bundles) bundles, want 4 (forger limited to 3)"
"$CORECOLLECT" list --store "$STORE" > "$T/list" || fail "list failed"
grep -q '^1 65534 .*/bin/x\\n[0-9]* .*/bin/victim\\n' "$T/list" ||
        fail "list does not show the forger's skipped crash, escaped: $(cat "$T/list")"
sed -n '/^skipped by/,$p' "$T/list" > "$T/skipped"
[ "$(wc -l < "$T/skipped")" = 2 ] || fail "list's skipped section holds raw newlines: $(cat "$T/skipped")"
pass "an exe path with newlines forges no rate-limit record; list shows it escaped"

# 2. A storm of differently named programs by nobody (each one under the
# per-executable limit) keeps root's recent bundles: nobody's crashes evict
# only nobody's own bundles.
rm -f "$STORE"/*.zst "$STORE"/.ratelimit* "$STORE"/.skipped*
for i in $(seq 1 12); do cp "$PROGRAMS/crash_segv" "$T/bin/storm$i"; done
chmod a+rx "$T/bin"/storm*
install_handler --set rate_burst=0 --set max_store=6M --set keep_free=0
crash "$PROGRAMS/crash_segv"
crash "$PROGRAMS/crash_abort"
[ "$(bundles_of 0)" = 2 ] || fail "storm: root's two crashes not captured"
root_bundles=$(ls "$STORE"/*.zst)
for i in $(seq 1 12); do crash_as_nobody "$T/bin/storm$i"; done
for b in $root_bundles; do
        [ -e "$b" ] || fail "storm: nobody's crashes removed root's bundle $(basename "$b")"
done
[ "$(bundles_of 65534)" -ge 1 ] || fail "storm: none of nobody's crashes kept"
used=$(du -sk "$STORE" | cut -f1)
[ "$used" -le $((6 * 1024 + 100)) ] || fail "storm: store uses ${used} KiB over max_store"
pass "12 crashes by nobody kept root's 2 bundles ($(bundles_of 65534) of nobody's kept, ${used} KiB)"

# 3. Per-uid share and per-uid rate limit.
rm -f "$STORE"/*.zst "$STORE"/.ratelimit* "$STORE"/.skipped*
install_handler --set rate_burst=0 --set max_store=0 --set keep_free=0 --set uid_max_store=2500K
for i in 1 2 3 4 5; do crash_as_nobody "$T/bin/storm$i"; done
nb=$(bundles_of 65534)
[ "$nb" -ge 1 ] && [ "$nb" -le 3 ] || fail "uid share: nobody has $nb bundles"
size=0
for b in "$STORE"/*.zst; do size=$((size + $(stat -c %b "$b") * 512)); done
[ "$size" -le $((2500 * 1024)) ] || fail "uid share: nobody holds $size bytes"
pass "uid_max_store: nobody holds $nb bundles, $size bytes"
rm -f "$STORE"/*.zst "$STORE"/.ratelimit* "$STORE"/.skipped*
install_handler --set rate_burst=3 --set rate_uid_burst=4 --set max_store=0 --set keep_free=0 --set uid_max_store=0
for i in $(seq 1 12); do crash_as_nobody "$T/bin/storm$i"; done
[ "$(bundles_of 65534)" = 4 ] || fail "rate_uid_burst: nobody has $(bundles_of 65534) bundles, want 4"
crash "$PROGRAMS/crash_segv"
[ "$(bundles_of 0 "$PROGRAMS/crash_segv")" = 1 ] || fail "rate_uid_burst: root's crash was limited by nobody's storm"
"$CORECOLLECT" list --store "$STORE" > "$T/list"
skipped=$(awk '$2 == 65534 && $3 ~ /storm/ {n += $1} END {print n + 0}' "$T/list")
[ "$skipped" = 8 ] || fail "rate_uid_burst: $skipped counted as skipped, want 8: $(cat "$T/list")"
pass "rate_uid_burst: 4 of nobody's 12 crashes kept, 8 counted; root unaffected"

# 4. A store that is not root's, or that others may write, is refused.
restore_kernel
for mode in 1777 0770; do
        mkdir -p "$T/bad$mode"
        chmod "$mode" "$T/bad$mode"
        rc=0
        "$CORECOLLECT" capture --store "$T/bad$mode" 99999999 99999999 11 "$(date +%s)" 0 0 0 - x < /dev/null \
                2> "$T/err" || rc=$?
        [ "$rc" = 5 ] || fail "store mode $mode: exit $rc, want 5: $(cat "$T/err")"
        grep -q "refused.*mode $mode" "$T/err" || fail "store mode $mode: message: $(cat "$T/err")"
        [ -z "$(ls -A "$T/bad$mode")" ] || fail "store mode $mode: something was written"
done
mkdir -p "$T/badowner"
chown 65534:65534 "$T/badowner"
chmod 0700 "$T/badowner"
rc=0
"$CORECOLLECT" capture --store "$T/badowner" 99999999 99999999 11 "$(date +%s)" 0 0 0 - x < /dev/null 2> "$T/err" || rc=$?
[ "$rc" = 5 ] && grep -q "owned by uid 65534" "$T/err" || fail "store owned by nobody: exit $rc: $(cat "$T/err")"
rc=0
"$CORECOLLECT" install --store "$T/bad1777" --config "$CONF" > /dev/null 2> "$T/err" || rc=$?
[ "$rc" = 1 ] && grep -q "refused" "$T/err" || fail "install into a 1777 store: exit $rc: $(cat "$T/err")"
[ "$(cat /proc/sys/kernel/core_pattern)" = "$SAVED_PATTERN" ] || fail "refused install changed core_pattern"
pass "stores of mode 1777, 0770 or owned by nobody refused (exit 5, install 1)"

# 5. A capture stopped by SIGTERM writes nothing, leaves no temporary file
# and gives its rate-limit slot back.
S2=$T/store2
sleep 300 &
victim=$!
on_exit "kill $victim 2>/dev/null"
mkfifo "$T/stall"
(exec 3> "$T/stall"; sleep 60) & # the core never comes
feeder=$!
on_exit "kill $feeder 2>/dev/null"
"$CORECOLLECT" capture --store "$S2" --set rate_burst=1 --set rate_interval_s=3600 \
        "$victim" "$victim" 11 "$(date +%s)" 0 0 0 - sleep < "$T/stall" 2> "$T/err" &
cap=$!
for _ in $(seq 1 100); do [ -e "$S2/.ratelimit.v2" ] && break; sleep 0.1; done
sleep 0.5
kill -TERM "$cap"
rc=0
wait "$cap" || rc=$?
kill "$feeder" 2> /dev/null || true
[ "$rc" = 4 ] || fail "SIGTERM: exit $rc, want 4: $(cat "$T/err")"
grep -q "stopped by signal 15" "$T/err" || fail "SIGTERM: message: $(cat "$T/err")"
[ -z "$(find "$S2" -name '*.zst' -o -name '.tmp-*')" ] || fail "SIGTERM: files left: $(ls -A "$S2")"
rc=0
"$CORECOLLECT" capture --store "$S2" --set rate_burst=1 --set rate_interval_s=3600 \
        "$victim" "$victim" 11 "$(date +%s)" 0 0 0 - sleep < /dev/null 2> "$T/err" || rc=$?
[ "$rc" = 1 ] || fail "after a failed capture: exit $rc, want 1 (written; the failed one must not count): $(cat "$T/err")"
pass "a capture stopped by SIGTERM leaves nothing and does not count toward the rate limit"

# 6. On a filesystem without trusted xattrs (ramfs) the uid of each bundle
# comes from its meta.json: nobody's storm still keeps root's bundles.
mkdir -p "$T/ram"
mount -t ramfs -o mode=0700 ramfs "$T/ram" || { echo "note: cannot mount ramfs: the test without xattrs not run"; exit 0; }
on_exit "umount '$T/ram' 2>/dev/null"
STORE=$T/ram/store
install_handler --set rate_burst=0 --set rate_uid_burst=0 --set max_store=4M --set keep_free=0
crash "$PROGRAMS/crash_segv"
root_bundle=$(ls "$STORE"/core.crash_segv.*.zst)
for i in $(seq 1 6); do crash_as_nobody "$T/bin/storm$i"; done
[ -e "$root_bundle" ] || fail "ramfs: nobody's crashes removed root's bundle"
[ "$(bundles_of 65534)" -ge 1 ] || fail "ramfs: none of nobody's crashes kept"
pass "without xattrs (ramfs) the uid comes from meta.json: root's bundle kept, $(bundles_of 65534) of nobody's"
