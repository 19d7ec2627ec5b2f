#!/bin/bash
# Budgets: a core larger than max_core keeps its stacks and drops heap,
# marked truncated; a stalled pipe ends at the time budget with a valid
# bundle; the handler's memory stays bounded for a large core.
. "$(dirname "$0")/lib.sh"
command -v /usr/bin/time >/dev/null || skip "/usr/bin/time (package time) missing"

# 1. max_core: 96 MiB of random heap, 16 MiB allowed
install_handler --set max_core=16M
crash "$PROGRAMS/crash_heap" 96
b=$(wait_bundle)
extract "$b" "$T/x1"
[ "$(json_get "$T/x1/index.json" 'd["end"]["truncated"]')" = True ] || fail "max_core: not marked truncated"
[ "$(json_get "$T/x1/index.json" 'd["end"]["truncation_reason"]')" = max-core ] || fail "max_core: reason"
[ "$(json_get "$T/x1/index.json" 'len(d["end"]["dropped_segments"]) > 0')" = True ] || fail "max_core: no dropped segments"
kept=$(json_get "$T/x1/index.json" 'd["end"]["bytes_kept"]')
[ "$kept" -le $((16 << 20)) ] || fail "max_core: kept $kept bytes"
[ "$(stat -c %s "$b")" -lt $((32 << 20)) ] || fail "max_core: bundle is $(stat -c %s "$b") bytes"
eu-stack --core "$T/x1/core" -e "$PROGRAMS/crash_heap" > "$T/x1/stack" 2>&1 || true
grep -q "main" "$T/x1/stack" || fail "max_core: the stack was not kept: $(cat "$T/x1/stack")"
pass "max_core keeps the stack, drops $(json_get "$T/x1/index.json" 'd["end"]["dropped_bytes"]') heap bytes"

# 2. time budget: a pipe that stalls after the ELF header
rm -f "$STORE"/*.zst
start=$(date +%s%N)
rc=0
"$CORECOLLECT" capture --store "$STORE" --set time_budget_ms=1000 99999999 99999999 11 "$(date +%s)" 0 0 0 - stalled \
        < <(head -c 4096 "$T/x1/core"; sleep 8) || rc=$?
took=$((($(date +%s%N) - start) / 1000000))
[ "$rc" = 1 ] || fail "time budget: exit $rc, want 1 (truncated)"
[ "$took" -lt 6000 ] || fail "time budget: took ${took} ms"
b=$(wait_bundle)
zstd -tq "$b" || fail "time budget: bundle not a valid zstd file"
extract "$b" "$T/x2"
[ "$(json_get "$T/x2/index.json" 'd["end"]["truncation_reason"]')" = time-budget ] || fail "time budget: reason"
pass "stalled pipe ends at the time budget (${took} ms)"

# 3. memory: a 512 MiB core through the handler, measured by /usr/bin/time
rm -f "$STORE"/*.zst
install_handler
wrap=$T/m.sh
cat > "$wrap" <<SH
#!/bin/sh
exec /usr/bin/time -f %M -o $T/rss $CORECOLLECT capture -c $CONF "\$@"
SH
chmod +x "$wrap"
printf '|%s %%P %%i %%s %%t %%u %%g %%d %%F %%e\n' "$wrap" > /proc/sys/kernel/core_pattern
crash "$PROGRAMS/crash_heap" 512
b=$(wait_bundle)
for _ in $(seq 1 100); do [ -s "$T/rss" ] && break; sleep 0.1; done
rss=$(tail -n 1 "$T/rss")
[ "$rss" -le $((40 * 1024)) ] || fail "handler peak RSS ${rss} KiB for a 512 MiB core"
extract "$b" "$T/x3"
[ "$(stat -c %s "$T/x3/core")" -gt $((512 << 20)) ] || fail "memory: core too small"
pass "handler peak RSS ${rss} KiB for a $(stat -c %s "$T/x3/core")-byte core"
