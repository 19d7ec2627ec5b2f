#!/bin/bash
# install/uninstall: saves and restores exactly, is idempotent, and fails
# clearly when the pattern would be too long or the store is unusable.
. "$(dirname "$0")/lib.sh"

printf '%s\n' "core.%p" > /proc/sys/kernel/core_pattern
printf '0\n' > /proc/sys/kernel/core_pipe_limit

"$CORECOLLECT" install --store "$STORE" --config "$CONF" > "$T/out" || fail "install failed"
grep -q "^|$CORECOLLECT capture -c $CONF %P %i %s %t %u %g %d %F %c %e$" /proc/sys/kernel/core_pattern ||
        fail "pattern: $(cat /proc/sys/kernel/core_pattern)"
[ "$(cat /proc/sys/kernel/core_pipe_limit)" -gt 0 ] || fail "core_pipe_limit still 0"
[ -d "$STORE" ] || fail "store not created"
[ "$(stat -c %a "$STORE")" = 755 ] || fail "store mode $(stat -c %a "$STORE"), want 755 (users reach their ACL-granted bundles)"
grep -q "corecollect oom-watch" "$T/out" || fail "install does not mention the OOM watcher"

rc=0; "$CORECOLLECT" install --store "$STORE" --config "$CONF" > "$T/out" || rc=$?
[ "$rc" = 2 ] || fail "second install: exit $rc, want 2"
grep -q "already installed" "$T/out" || fail "second install does not say so"

"$CORECOLLECT" uninstall > "$T/out" || fail "uninstall failed"
[ "$(cat /proc/sys/kernel/core_pattern)" = "core.%p" ] || fail "pattern not restored: $(cat /proc/sys/kernel/core_pattern)"
[ "$(cat /proc/sys/kernel/core_pipe_limit)" = 0 ] || fail "core_pipe_limit not restored"
[ ! -e "$CONF" ] || fail "config left behind"
rc=0; "$CORECOLLECT" uninstall > "$T/out" || rc=$?
[ "$rc" = 2 ] || fail "uninstall when not installed: exit $rc"
pass "install, reinstall, uninstall restore core.%p and 0"

# store_mode: a private store stays private; an older install's 0700 store
# is opened to 0755 by default; a mode that lets others write is refused
"$CORECOLLECT" install --store "$STORE" --config "$CONF" --set store_mode=0700 > /dev/null || fail "install store_mode=0700"
[ "$(stat -c %a "$STORE")" = 700 ] || fail "store_mode=0700: store mode $(stat -c %a "$STORE")"
grep -qx "store_mode=0700" "$CONF" || fail "store_mode not saved: $(cat "$CONF")"
"$CORECOLLECT" uninstall > /dev/null || fail "uninstall after store_mode=0700"
"$CORECOLLECT" install --store "$STORE" --config "$CONF" > /dev/null || fail "install over a 0700 store"
[ "$(stat -c %a "$STORE")" = 755 ] || fail "0700 store not opened to 755 by install: $(stat -c %a "$STORE")"
"$CORECOLLECT" uninstall > /dev/null || fail "uninstall"
rc=0; "$CORECOLLECT" install --store "$STORE" --config "$CONF" --set store_mode=0777 2> "$T/err" || rc=$?
[ "$rc" != 0 ] && [ "$(cat /proc/sys/kernel/core_pattern)" = "core.%p" ] || fail "store_mode=0777 accepted: exit $rc"
pass "store_mode: 0755 by default, 0700 kept when set, 0777 refused"

long=$T/$(printf 'd%.0s' $(seq 1 120))/cc.conf
rc=0; "$CORECOLLECT" install --store "$STORE" --config "$long" 2> "$T/err" || rc=$?
[ "$rc" = 1 ] && grep -q "over the kernel's limit" "$T/err" || fail "long pattern: exit $rc: $(cat "$T/err")"
[ "$(cat /proc/sys/kernel/core_pattern)" = "core.%p" ] || fail "failed install changed core_pattern"
touch "$T/file"
rc=0; "$CORECOLLECT" install --store "$T/file/sub" --config "$CONF" 2> "$T/err" || rc=$?
[ "$rc" = 1 ] && grep -q "not a writable directory" "$T/err" || fail "bad store: exit $rc: $(cat "$T/err")"
rc=0; setpriv --reuid=65534 --regid=65534 --clear-groups "$CORECOLLECT" install --store "$STORE" 2> "$T/err" || rc=$?
[ "$rc" = 1 ] && grep -q "needs root" "$T/err" || fail "non-root install: exit $rc: $(cat "$T/err")"
pass "clear errors: pattern too long, bad store, not root"
