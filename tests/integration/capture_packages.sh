#!/bin/bash
# The Debian packages of the crashed process's files, recorded at capture
# time through the real kernel: Debian's own /usr/bin/sleep killed with
# SIGSEGV. packages.json (written after the core, once the process was
# released) names the executable's package, version and architecture as
# `dpkg-query -W` says, and libc's, both found through the /usr-merge alias
# (dpkg lists /bin/sleep and /lib/.../libc.so.6; the process maps
# /usr/bin/sleep and /usr/lib/.../libc.so.6); meta.json has none of it
# (written before). The report names the package. With packages_max_read
# too small for dpkg's database the lookup is skipped and says why; with
# packages=0 it is off and says so; the bundle is written either way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../bound.sh"

command -v dpkg-query > /dev/null && [ -d /var/lib/dpkg/info ] || skip "no dpkg here"
SLEEP=/usr/bin/sleep
dpkg-query -S /bin/sleep > /dev/null 2>&1 || skip "sleep is not from a Debian package here"
read -r V ARCH < <(dpkg-query -W -f='${Version} ${Architecture}\n' coreutils)
read -r LIBC_V LIBC_ARCH < <(dpkg-query -W -f='${Version} ${Architecture}\n' "libc6:$(dpkg --print-architecture)")

# crash_sleep: Debian's sleep, killed with SIGSEGV; prints its bundle
crash_sleep() {
        rm -f "$STORE"/core.sleep.*.zst
        (
                ulimit -c unlimited
                ulimit -v 1048576
                exec "$SLEEP" 60
        ) < /dev/null > /dev/null 2>&1 &
        local pid=$!
        sleep 0.3
        kill -SEGV "$pid"
        wait "$pid" 2> /dev/null || true
        wait_handlers
        for _ in $(seq 1 600); do
                b=$(ls -t "$STORE"/core.sleep.*.zst 2> /dev/null | head -n 1 || true)
                [ -n "$b" ] && { echo "$b"; return 0; }
                sleep 0.1
        done
        fail "no bundle of sleep appeared in $STORE"
}

install_handler
b=$(crash_sleep)
extract "$b" "$T/x"
check_members "$b"
[ -s "$T/x/packages.json" ] || fail "no packages.json"
python3 - "$T/x/packages.json" "$T/x/meta.json" "$V" "$ARCH" "$LIBC_V" "$LIBC_ARCH" <<'PY' || fail "packages.json: $(cat "$T/x/packages.json")"
import json, sys
pk, meta = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
v, arch, libc_v, libc_arch = sys.argv[3:7]
assert pk["status"] == "ok" and pk["reason"] is None, pk
files = {f["path"]: f for f in pk["files"]}
sleep = files["/usr/bin/sleep"]
assert (sleep["package"], sleep["version"], sleep["architecture"]) == ("coreutils", v, arch), sleep
assert pk["files"][0]["path"] == "/usr/bin/sleep", "the executable first"
libc = next(f for p, f in files.items() if p.endswith("/libc.so.6"))
assert (libc["package"], libc["version"], libc["architecture"]) == ("libc6", libc_v, libc_arch), libc
assert pk["cpu_usec"] > 0 and pk["bytes_read"] > 0, pk
assert "package" not in json.dumps(meta), "meta.json is written before the lookup"
print("lookup: %d us, %d us CPU, %d bytes" % (pk["usec"], pk["cpu_usec"], pk["bytes_read"]))
PY
pass "packages.json: coreutils $V $ARCH for /usr/bin/sleep, libc6 $LIBC_V (usrmerge alias)"

inspect "$b" "$T/r"
grep -q "^Package: coreutils $V $ARCH (recorded on the crashed host)$" "$T/r.txt" || fail "report: $(grep -i package "$T/r.txt")"
[ "$(json_get "$T/r.json" 'd["process"]["package"]["version"]')" = "$V" ] || fail "JSON report: no package version"
pass "the report names the recorded package and version"

# over its size limit: skipped, and said why; the bundle is still written
install_handler --set packages_max_read=4096
b=$(crash_sleep)
extract "$b" "$T/y"
[ "$(json_get "$T/y/packages.json" 'd["status"] + " " + d["reason"] + " " + str(len(d["files"]))')" = "skipped size-limit 0" ] ||
        fail "size limit: $(cat "$T/y/packages.json")"
[ -s "$T/y/core" ] || fail "size limit: no core"
pass "over packages_max_read: skipped (size-limit), bundle complete"

install_handler --set packages=0 --set packages_max_read=64M
b=$(crash_sleep)
extract "$b" "$T/z"
[ "$(json_get "$T/z/packages.json" 'd["status"]')" = off ] || fail "packages=0: $(cat "$T/z/packages.json")"
pass "packages=0: off"
