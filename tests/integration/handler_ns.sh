# Source this first (before lib.sh) in a test that mounts a filesystem for
# the handler to write to. The kernel runs the handler in the initial mount
# namespace; under .ci/run's private /tmp (a mount namespace of its own) a
# mount made here would be invisible to it. So the test re-executes itself
# in the namespace .ci/run started from: that of the nearest ancestor process
# in another mount namespace (pid 1's cannot be read from inside). Its files
# are under TEST_TMPDIR (lib.sh), which both namespaces see. Outside such a
# namespace this does nothing.
if [ "$(id -u)" = 0 ] && [ -z "${HANDLER_NS_REEXEC:-}" ]; then
        self_ns=$(readlink /proc/self/ns/mnt)
        p=$PPID
        while [ "$p" -gt 1 ]; do
                ns=$(readlink "/proc/$p/ns/mnt" 2>/dev/null) || break
                [ "$ns" != "$self_ns" ] && HANDLER_NS_REEXEC=1 exec nsenter -t "$p" -m -- "$(readlink -f "$0")" "$@"
                p=$(awk '/^PPid:/ {print $2}' "/proc/$p/status")
        done
fi
