# Sourced by tests that run coreinspect: bounds the memory of everything they
# start. ulimit -v, except under AddressSanitizer, which reserves terabytes of
# address space up front: there its own RSS limit does the job. Needs
# $COREINSPECT (the binary under test).
# (grep reads all of nm's output: with -q, nm could die of SIGPIPE and fail
# the test under `set -o pipefail`.)
if nm -D "$COREINSPECT" 2>/dev/null | grep __asan_init > /dev/null; then
        export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=2048
else
        # 4 GiB: a runaway cannot take the machine down. The soft limit only,
        # so that a test may give chromium (which reserves tens of GiB of
        # address space it never uses) a data limit instead (fleet/html.sh)
        ulimit -S -v 4194304
fi
