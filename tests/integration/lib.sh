# Shared helpers for integration tests that crash real programs through the
# real kernel handler. Source it; it needs CORECOLLECT and PROGRAMS set.
#
# Every test that changes core_pattern restores it (and core_pipe_limit) in an
# EXIT trap, so a failing test never leaves the machine with our handler.
set -eu

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

[ "$(id -u)" = 0 ] || skip "needs root to set core_pattern"
[ -w /proc/sys/kernel/core_pattern ] || skip "core_pattern not writable"
: "${CORECOLLECT:?}" "${PROGRAMS:?}"

# One user of core_pattern at a time across processes (tests, demo, bench).
exec 9> /run/lock/coreinspect-core-pattern.lock
flock -w 600 9 || skip "core_pattern lock held for 10 minutes by another process"

# The kernel runs the handler in the initial mount namespace: the store and
# every file the handler reads must be on a path it sees too. .ci/run gives
# the tests a private, empty /tmp, which the handler does not see, so the
# test directory lives under TEST_TMPDIR (default /var/tmp; a short path,
# since the config's path goes into core_pattern, at most 127 bytes).
TEST_TMPDIR=${TEST_TMPDIR:-/var/tmp}
mkdir -p "$TEST_TMPDIR"
T=$(mktemp -d "$TEST_TMPDIR/cc-test.XXXXXX")
STORE=$T/store
CONF=$T/cc.conf
# The handler's and the config's paths go into core_pattern (127 bytes at
# most): the tests install a copy of the handler at a short path, so they
# pass from a clone at any depth (and a relinking build/ cannot pull the
# binary from under the kernel's exec).
cp "$CORECOLLECT" "$T/corecollect" || fail "cannot copy $CORECOLLECT"
CORECOLLECT=$T/corecollect
SAVED_PATTERN=$(cat /proc/sys/kernel/core_pattern)
SAVED_LIMIT=$(cat /proc/sys/kernel/core_pipe_limit)

restore_kernel() {
        printf '%s\n' "$SAVED_PATTERN" > /proc/sys/kernel/core_pattern
        printf '%s\n' "$SAVED_LIMIT" > /proc/sys/kernel/core_pipe_limit
}
EXTRA_CLEANUP=":"
# on_exit CMD: run CMD (e.g. stopping a server) when the test ends, however it ends
on_exit() { EXTRA_CLEANUP="$EXTRA_CLEANUP; $*"; }
cleanup() {
        rc=$?
        eval "$EXTRA_CLEANUP" || true
        restore_kernel
        [ "$(cat /proc/sys/kernel/core_pattern)" = "$SAVED_PATTERN" ] || echo "WARNING: core_pattern not restored" >&2
        if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
                echo "--- test dir $T kept for inspection; store:" >&2
                ls -la "$STORE" >&2 2>/dev/null || true
        else
                rm -rf "$T"
        fi
        exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# install_handler [corecollect install options...]
install_handler() {
        local rc=0
        "$CORECOLLECT" install --store "$STORE" --config "$CONF" "$@" >/dev/null || rc=$?
        [ "$rc" = 0 ] || [ "$rc" = 2 ] || fail "install failed with exit $rc"
}

# wait_handlers: waits (up to 60 s) until no handler of this test runs.
# The kernel reaps a crashed process once the handler has closed the pipe,
# and the handler closes it as soon as it has read the core
# (docs/corecollect.md, "Early release"): it commits the bundle later.
wait_handlers() {
        for _ in $(seq 1 600); do
                pgrep -f -- "^$CORECOLLECT capture" > /dev/null || return 0
                sleep 0.1
        done
        fail "a handler of this test still runs after 60 s"
}

# crash PROG [ARGS...]: runs PROG with cores enabled and memory bounded, and
# waits for the handler to finish.
crash() {
        (
                ulimit -c unlimited
                ulimit -v 4194304 # 4 GiB: a runaway victim cannot take the machine down
                exec "$@"
        ) </dev/null >/dev/null 2>&1 || true
        wait_handlers
}

# wait_bundle: prints the path of the newest complete bundle, waiting up to 60 s.
wait_bundle() {
        for _ in $(seq 1 600); do
                b=$(ls -t "$STORE"/*.zst 2>/dev/null | head -n 1 || true)
                if [ -n "$b" ]; then
                        echo "$b"
                        return 0
                fi
                sleep 0.1
        done
        fail "no bundle appeared in $STORE"
}

# extract BUNDLE DIR: unpacks with the standard tools only.
extract() {
        rm -rf "$2"
        mkdir -p "$2"
        tar --zstd -xf "$1" -C "$2" || fail "tar --zstd cannot unpack $1"
}

# json_get FILE EXPR: prints a value from a JSON file (EXPR is Python on `d`).
json_get() {
        python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# check_members BUNDLE: the standard members are all there, in order.
check_members() {
        tar --zstd -tf "$1" > "$T/members" || fail "tar cannot list $1"
        python3 - "$T/members" <<'PY' || fail "member order wrong: $(tr '\n' ' ' < "$T/members")"
import sys
names = open(sys.argv[1]).read().split()
want = ["meta.json", "proc/maps", "proc/limits", "proc/status", "proc/cmdline", "proc/cgroup",
        "proc/mountinfo", "proc/auxv", "proc/fds", "proc/environ", "proc/tasks", "log/kernel.txt",
        "log/journal.txt", "core"]
assert names[:len(want)] == want, names
assert names[-1] == "index.json", names
assert names[-2] == "packages.json", names
files = names[len(want):-2]
assert files and all(n.startswith("files/") for n in files), files
PY
}

# inspect BUNDLE OUT [coreinspect options]: text report to OUT.txt and JSON
# to OUT.json (validated against docs/report.schema.json); exit code kept in
# OUT.rc.
inspect() {
        local b=$1 out=$2
        shift 2
        local rc=0
        "${COREINSPECT:?}" "$@" "$b" > "$out.txt" 2> "$out.err" || rc=$?
        echo "$rc" > "$out.rc"
        [ "$rc" -le 1 ] || fail "coreinspect $b: exit $rc: $(cat "$out.err")"
        "$COREINSPECT" --json "$@" "$b" > "$out.json" 2>> "$out.err" || [ $? -le 1 ] || fail "coreinspect --json failed"
        python3 "$(dirname "${BASH_SOURCE[0]}")/../validate_report.py" "$out.json" || fail "report does not match the schema"
}

# frames_of JSON [thread-index]: "function file:line" per frame of a thread
frames_of() {
        python3 - "$1" "${2:-0}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["threads"][int(sys.argv[2])]["frames"]:
    print("%s %s:%s%s" % (f["function"], (f["file"] or "?").split("/")[-1], f["line"], " inline" if f["inline"] else ""))
PY
}
