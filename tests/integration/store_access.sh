#!/bin/bash
# Who may read a bundle (docs/security.md, CVE-2022-4415): real crashes as
# nobody through the real handler.
# 1. an ordinary crash: readable by nobody (an ACL entry user:65534:r--)
#    and by no other user (daemon, uid 1, tries);
# 2. a setuid program (owned by daemon, run by nobody), dumped only because
#    the test sets fs.suid_dumpable=2 (restored afterwards): dump mode 2,
#    readable by root only, no ACL;
# 3. a program that called prctl(PR_SET_DUMPABLE, 0): the kernel dumps
#    nothing (no bundle), and any bundle it made would be root's only;
# 4. coreinspect list as nobody shows the ordinary bundle and nothing else.
. "$(dirname "$0")/lib.sh"
command -v setpriv > /dev/null || skip "setpriv (util-linux) missing"
command -v getfacl > /dev/null || skip "getfacl (acl) missing"
: "${COREINSPECT:?}"

chmod 755 "$T"
mkdir -p "$T/bin"
SAVED_SUID=$(cat /proc/sys/fs/suid_dumpable)
on_exit "echo $SAVED_SUID > /proc/sys/fs/suid_dumpable"
install_handler
# install makes the store 0755: users reach their bundles, whose own modes and ACLs decide the rest
[ "$(stat -c %a "$STORE")" = 755 ] || fail "store mode $(stat -c %a "$STORE") after install, want 755"
cp "$PROGRAMS/crash_segv" "$PROGRAMS/crash_nodump" "$COREINSPECT" "$T/bin/"
cp "$PROGRAMS/crash_segv" "$T/bin/suid_segv"
chmod 755 "$T/bin"/*
chown 1:1 "$T/bin/suid_segv"
chmod 4755 "$T/bin/suid_segv" # after the chmod above, which would clear the bit

as() { local u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
# crash_as_nobody PROG: crashes PROG as nobody, prints the new bundle
crash_as_nobody() {
        local before after
        before=$(ls "$STORE"/*.zst 2> /dev/null | wc -l)
        (
                ulimit -c unlimited
                ulimit -v 4194304
                exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
        ) < /dev/null > /dev/null 2>&1 || true
        for _ in $(seq 1 600); do
                after=$(ls "$STORE"/*.zst 2> /dev/null | wc -l)
                [ "$after" -gt "$before" ] && break
                sleep 0.1
        done
        [ "$after" -gt "$before" ] || fail "no bundle for $*"
        ls -t "$STORE"/*.zst | head -n 1
}
readable_by() { as "$1" head -c 1 "$2" > /dev/null 2>&1; }

echo 0 > /proc/sys/fs/suid_dumpable
b1=$(crash_as_nobody "$T/bin/crash_segv")
[ "$(json_get <(tar --zstd -xOf "$b1" meta.json) 'd["dump_mode"]')" = 1 ] || fail "ordinary crash: dump mode not 1"
getfacl -pn "$b1" 2> /dev/null | grep -qx 'user:65534:r--' || fail "ordinary crash: no ACL entry for nobody: $(getfacl -pn "$b1" 2>&1)"
readable_by 65534 "$b1" || fail "ordinary crash: nobody cannot read its own bundle"
! readable_by 1 "$b1" || fail "ordinary crash: another user (daemon) can read it"
pass "ordinary crash: readable by nobody, not by daemon"

echo 2 > /proc/sys/fs/suid_dumpable
b2=$(crash_as_nobody "$T/bin/suid_segv")
[ "$(json_get <(tar --zstd -xOf "$b2" meta.json) 'd["dump_mode"]')" = 2 ] || fail "setuid crash: dump mode not 2"
! getfacl -pn "$b2" 2> /dev/null | grep -q '^user:[0-9]' || fail "setuid crash got an ACL entry: $(getfacl -pn "$b2")"
! readable_by 65534 "$b2" || fail "setuid crash readable by nobody (CVE-2022-4415)"
! readable_by 1 "$b2" || fail "setuid crash readable by daemon (its owner)"
pass "setuid crash: root only"

# prctl(PR_SET_DUMPABLE, 0) makes the kernel dump nothing at all (not even
# with suid_dumpable=2, which only covers set-id execs): no bundle, or, if a
# kernel ever sends one, root's only
before=$(ls "$STORE"/*.zst | wc -l)
(ulimit -c unlimited; exec setpriv --reuid=65534 --regid=65534 --clear-groups "$T/bin/crash_nodump") < /dev/null > /dev/null 2>&1 || true
sleep 3
for b3 in $(ls -t "$STORE"/*.zst | head -n $(( $(ls "$STORE"/*.zst | wc -l) - before ))); do
        ! getfacl -pn "$b3" 2> /dev/null | grep -q '^user:[0-9]' || fail "non-dumpable crash got an ACL entry"
        ! readable_by 65534 "$b3" || fail "non-dumpable crash readable by nobody"
done
pass "prctl(PR_SET_DUMPABLE, 0) crash: $(( $(ls "$STORE"/*.zst | wc -l) - before )) bundles, none readable by nobody"
echo "$SAVED_SUID" > /proc/sys/fs/suid_dumpable

as 65534 "$T/bin/coreinspect" list --json "$STORE" > "$T/list.json" 2> "$T/list.err" || fail "list as nobody: exit $?: $(cat "$T/list.err")"
python3 - "$T/list.json" "$(basename "$b1")" <<'PY' || fail "list as nobody"
import json, sys
got = [r["bundle"] for r in json.load(open(sys.argv[1]))]
assert got == [sys.argv[2]], ("nobody's list", got)
PY
[ "$(as 1 "$T/bin/coreinspect" list --json "$STORE")" = "[]" ] || fail "daemon's list is not empty"
"$T/bin/coreinspect" list --json "$STORE" | python3 -c "import json,sys; assert len(json.load(sys.stdin)) == $(ls "$STORE"/*.zst | wc -l)" || fail "root's list"
pass "coreinspect list: nobody sees its bundle, daemon none, root all"
