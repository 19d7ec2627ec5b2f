#!/bin/bash
# RLIMIT_CORE, passed by the kernel as %c: with `ulimit -c 0` the crash is
# recorded (meta.json, proc/, logs) without a core or files/; with a small
# limit the core member ends at the limit (truncation reason rlimit). A
# pattern of an earlier install, without %c, still captures.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../bound.sh"

# crash_limit KIB PROG: crash PROG with RLIMIT_CORE = KIB KiB
crash_limit() {
        local kib=$1
        shift
        (
                ulimit -v 4194304
                ulimit -c "$kib"
                exec "$@"
        ) < /dev/null > /dev/null 2>&1 || true
}

install_handler
grep -q '%F %c %e$' /proc/sys/kernel/core_pattern || fail "pattern without %c: $(cat /proc/sys/kernel/core_pattern)"
[ "$(wc -c < /proc/sys/kernel/core_pattern)" -le 128 ] || fail "pattern over 128 bytes"

# wait_bundle_of COMM: the newest bundle of a crash of COMM (a crash of
# another program while our handler is installed may be newer)
wait_bundle_of() {
        for _ in $(seq 1 600); do
                b=$(ls -t "$STORE"/core."$1".*.zst 2>/dev/null | head -n 1 || true)
                [ -n "$b" ] && { echo "$b"; return 0; }
                sleep 0.1
        done
        fail "no bundle of $1 appeared in $STORE"
}

# 1. ulimit -c 0: the crash is recorded, no memory contents kept
crash_limit 0 "$PROGRAMS/crash_heap" 64
b=$(wait_bundle_of crash_heap)
extract "$b" "$T/x0"
[ ! -e "$T/x0/core" ] || fail "ulimit -c 0: a core was kept ($(stat -c %s "$T/x0/core") bytes)"
[ ! -e "$T/x0/files" ] || fail "ulimit -c 0: files/ kept"
for m in meta.json proc/maps proc/status proc/limits log/kernel.txt index.json; do
        [ -e "$T/x0/$m" ] || fail "ulimit -c 0: $m missing"
done
[ "$(json_get "$T/x0/meta.json" 'd["rlimit_core"]')" = 0 ] || fail "ulimit -c 0: meta.json rlimit_core"
[ "$(json_get "$T/x0/meta.json" 'd["signal_name"]')" = SIGSEGV ] || fail "ulimit -c 0: signal not recorded"
[ "$(json_get "$T/x0/index.json" 'd["end"]["truncation_reason"]')" = rlimit ] || fail "ulimit -c 0: reason"
[ "$(json_get "$T/x0/index.json" 'd["end"]["bytes_received"]')" = 0 ] || fail "ulimit -c 0: the core was read"
[ "$(json_get "$T/x0/meta.json" 'all(m.get("skipped") == "rlimit" for m in d["mapped_files"])')" = True ] ||
        fail "ulimit -c 0: mapped files not marked skipped: rlimit"
[ "$(stat -c %s "$b")" -lt $((256 << 10)) ] || fail "ulimit -c 0: bundle is $(stat -c %s "$b") bytes"
rc=0
"$COREINSPECT" "$b" > "$T/r0.txt" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "coreinspect on a bundle without core: exit $rc: $(cat "$T/r0.txt")"
grep -q "^No core: the process's RLIMIT_CORE" "$T/r0.txt" || fail "coreinspect does not say why there is no core: $(cat "$T/r0.txt")"
grep -q "^Verdict: unknown (low confidence)" "$T/r0.txt" || fail "a crash without core must not get a verdict: $(cat "$T/r0.txt")"
"$COREINSPECT" --json "$b" > "$T/r0.json" || fail "coreinspect --json on a bundle without core"
[ "$(json_get "$T/r0.json" 'd["bundle"]["core_withheld"]')" = True ] || fail "JSON: core_withheld not set"
python3 "$(dirname "$0")/../validate_report.py" "$T/r0.json" || fail "JSON report without core does not match the schema"
pass "ulimit -c 0: recorded without core or files ($(stat -c %s "$b") bytes, coreinspect exit $rc)"

# 2. ulimit -c 256 (KiB): the core member is cut at 256 KiB
rm -f "$STORE"/*.zst
crash_limit 256 "$PROGRAMS/crash_heap" 64
b=$(wait_bundle_of crash_heap)
extract "$b" "$T/x1"
[ "$(stat -c %s "$T/x1/core")" = $((256 << 10)) ] || fail "ulimit -c 256: core is $(stat -c %s "$T/x1/core") bytes"
[ "$(json_get "$T/x1/index.json" 'd["end"]["truncated"]')" = True ] || fail "ulimit -c 256: not truncated"
[ "$(json_get "$T/x1/index.json" 'd["end"]["truncation_reason"]')" = rlimit ] || fail "ulimit -c 256: reason"
[ "$(json_get "$T/x1/index.json" 'd["end"]["bytes_kept"]')" -le $((256 << 10)) ] || fail "ulimit -c 256: kept"
[ "$(json_get "$T/x1/meta.json" 'd["rlimit_core"]')" = $((256 << 10)) ] || fail "ulimit -c 256: meta.json"
[ -n "$(ls "$T/x1/files")" ] || fail "ulimit -c 256: files/ missing"
head -c 4 "$T/x1/core" | grep -q ELF || fail "ulimit -c 256: core does not start with the ELF header"
rc=0
"$COREINSPECT" "$b" > "$T/r1.txt" 2>&1 || rc=$?
[ "$rc" -le 2 ] || fail "coreinspect on a cut core: exit $rc: $(cat "$T/r1.txt")"
pass "ulimit -c 256: core cut at 262144 bytes, reason rlimit (coreinspect exit $rc)"

# 3. unlimited: the whole core
rm -f "$STORE"/*.zst
crash_limit unlimited "$PROGRAMS/crash_segv"
b=$(wait_bundle_of crash_segv)
extract "$b" "$T/x2"
[ "$(json_get "$T/x2/index.json" 'd["end"]["truncated"]')" = False ] || fail "unlimited: truncated"
[ "$(json_get "$T/x2/meta.json" 'd["rlimit_core"]')" = None ] || fail "unlimited: rlimit_core not null"
pass "ulimit -c unlimited: whole core"

# 4. a pattern without %c (an earlier install) still captures, limit unknown
rm -f "$STORE"/*.zst
sed 's/ %c / /' /proc/sys/kernel/core_pattern > "$T/old_pattern"
cat "$T/old_pattern" > /proc/sys/kernel/core_pattern
crash_limit 0 "$PROGRAMS/crash_segv"
b=$(wait_bundle_of crash_segv)
extract "$b" "$T/x3"
[ -e "$T/x3/core" ] || fail "old pattern: no core"
[ "$(json_get "$T/x3/meta.json" 'd["rlimit_core"]')" = None ] || fail "old pattern: rlimit_core not null"
"$CORECOLLECT" uninstall > /dev/null || fail "uninstall of a pattern without %c failed"
pass "pattern without %c: captured as before; uninstall works"
