#!/bin/bash
# Real crashes through the real handler: SIGSEGV in the main thread, SIGSEGV
# in one of several threads, abort(). Each must give a complete bundle with
# the right pid, tid, signal and exe, and a core eu-stack can unwind.
. "$(dirname "$0")/lib.sh"

install_handler
grep -q "corecollect capture" /proc/sys/kernel/core_pattern || fail "handler not installed"

check_crash() { # name prog signal [args]
        local name=$1 prog=$2 sig=$3
        shift 3
        rm -f "$STORE"/*.zst
        crash "$prog" "$@" &
        local victim=$!
        wait $victim || true
        local b
        b=$(wait_bundle)
        check_members "$b"
        local x=$T/x-$name
        extract "$b" "$x"
        [ "$(json_get "$x/meta.json" 'd["exe"]')" = "$prog" ] || fail "$name: exe is $(json_get "$x/meta.json" 'd["exe"]')"
        [ "$(json_get "$x/meta.json" 'd["signal"]')" = "$sig" ] || fail "$name: signal"
        [ "$(json_get "$x/meta.json" 'd["pidfd_verified"]')" = True ] || fail "$name: pidfd not verified"
        [ "$(json_get "$x/index.json" 'd["end"]["truncated"]')" = False ] || fail "$name: truncated"
        local size
        size=$(stat -c %s "$x/core")
        [ "$(json_get "$x/index.json" 'd["end"]["bytes_received"]')" = "$size" ] || fail "$name: received != core size"
        [ "$(stat -c %a "$b")" = 600 ] || fail "$name: bundle mode $(stat -c %a "$b")"
        # the executable travels in files/ under its build-id
        local id
        id=$(json_get "$x/meta.json" '[m["build_id"] for m in d["mapped_files"] if m["executable"]][0]')
        cmp -s "$x/files/$id" "$prog" || fail "$name: files/$id is not the executable"
        eu-stack --core "$x/core" -e "$prog" > "$x/stack" 2>&1 || fail "$name: eu-stack failed: $(cat "$x/stack")"
        echo "$x"
}

x=$(check_crash segv "$PROGRAMS/crash_segv" 11)
grep -q "store_through" "$x/stack" || fail "segv: eu-stack has no store_through frame"
pid=$(json_get "$x/meta.json" 'd["pid"]')
[ "$(json_get "$x/meta.json" 'd["tid"]')" = "$pid" ] || fail "segv: tid != pid for a main-thread crash"
pass "SIGSEGV in main thread"

x=$(check_crash thread "$PROGRAMS/crash_thread" 11 6)
pid=$(json_get "$x/meta.json" 'd["pid"]')
tid=$(json_get "$x/meta.json" 'd["tid"]')
[ "$tid" != "$pid" ] || fail "thread: the crashing tid should be a worker, got the main thread"
threads=$(grep -c '^TID' "$x/stack")
[ "$threads" = 7 ] || fail "thread: eu-stack saw $threads threads, want 7"
grep -q "worker_fault" "$x/stack" || fail "thread: no worker_fault frame"
pass "SIGSEGV in one of 7 threads (tid $tid)"

x=$(check_crash abort "$PROGRAMS/crash_abort" 6)
grep -q "give_up" "$x/stack" || fail "abort: no give_up frame"
pass "abort"

"$CORECOLLECT" list --store "$STORE" | grep -q "SIGABRT" || fail "list does not show the abort"
