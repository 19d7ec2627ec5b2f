#!/bin/bash
# symbols/ against a real debuginfod server on a local port, serving a
# program's split debug info and its stripped executable from a directory
# (debuginfod -F). Checks that a lookup reaches it only with use_env and
# DEBUGINFOD_URLS, that it comes after the local sources, that files land in
# DEBUGINFOD_CACHE_PATH, and that a server that never answers costs at most
# COREINSPECT_DEBUGINFOD_DEADLINE.
# Usage: debuginfod.sh SYMFIND. Exit 77 (skip) without debuginfod, gcc,
# objcopy or strip.
set -eu

symfind=$1
for t in debuginfod debuginfod-find gcc objcopy strip; do
        command -v "$t" >/dev/null || { echo "SKIP: needs $t"; exit 77; }
done

T=$(mktemp -d /tmp/symbols-debuginfod.XXXXXX)
server_pid=
hang_pid=
cleanup() {
        rc=$?
        for p in $server_pid $hang_pid; do
                kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
        done
        if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
                echo "--- debuginfod log (tail):" >&2
                tail -n 30 "$T/debuginfod.log" >&2 2>/dev/null || true
        fi
        rm -rf "$T"
        exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
unset COREINSPECT_DEBUG_DIRS DEBUGINFOD_URLS DEBUGINFOD_CACHE_PATH DEBUGINFOD_TIMEOUT \
        DEBUGINFOD_PROGRESS DEBUGINFOD_VERBOSE COREINSPECT_DEBUGINFOD_DEADLINE

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# The program and its split debug info.
mkdir -p "$T/serve" "$T/bin" "$T/empty" "$T/cache"
printf '#include <stdio.h>\nint main(void) { puts("debuginfod test %s"); return 0; }\n' "$T" > "$T/prog.c"
gcc -g -O1 -Wl,--build-id -o "$T/bin/prog" "$T/prog.c"
objcopy --only-keep-debug "$T/bin/prog" "$T/serve/prog.debug"
strip --strip-debug "$T/bin/prog"
cp "$T/bin/prog" "$T/serve/prog"
id=$("$symfind" build-id "$T/bin/prog")
unknown_id=0123456789abcdef0123456789abcdef01234567

# http_get PORT PATH: prints the response (bash's /dev/tcp, no curl needed).
http_get() {
        exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
        printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
        timeout 5 cat <&3 || true
        exec 3<&-
}

# Start the server on a random free port (retry when taken).
port=
for attempt in 1 2 3 4 5 6 7 8; do
        p=$((20000 + RANDOM % 20000))
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then continue; fi # in use
        debuginfod -F "$T/serve" -p "$p" -d "$T/db.sqlite" >"$T/debuginfod.log" 2>&1 &
        server_pid=$!
        for _ in $(seq 50); do
                kill -0 "$server_pid" 2>/dev/null || break
                if http_get "$p" /metrics 2>/dev/null | grep -q '^HTTP/1.[01] 200'; then
                        port=$p
                        break
                fi
                sleep 0.1
        done
        [ -n "$port" ] && break
        kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
        server_pid=
done
[ -n "$port" ] || fail "could not start debuginfod on a free port"
url=http://127.0.0.1:$port
pass "debuginfod serving on port $port"

# Wait until it has scanned $T/serve. Each poll uses a fresh cache: the
# client caches a miss (for cache_miss_s, 10 minutes by default).
scanned=
for i in $(seq 100); do
        if DEBUGINFOD_URLS=$url DEBUGINFOD_CACHE_PATH=$T/pollcache.$i \
                debuginfod-find debuginfo "$id" >/dev/null 2>&1; then
                scanned=1
                break
        fi
        sleep 0.2
done
[ -n "$scanned" ] || fail "debuginfod did not index $T/serve within 20 s"
pass "debuginfod has indexed the debug file"

export DEBUGINFOD_CACHE_PATH=$T/cache

# expect "WANT" CMD...: runs symfind and compares its stdout.
expect() {
        local want=$1 got rc=0
        shift
        got=$("$symfind" "$@" 2>"$T/err") || rc=$?
        [ "$got" = "$want" ] || { cat "$T/err" >&2; fail "symfind $*: got '$got' (exit $rc), want '$want'"; }
}

# Not asked without use_env, nor without DEBUGINFOD_URLS.
DEBUGINFOD_URLS=$url expect none debuginfo "$id" "$T/bin/prog"
expect none debuginfo "$id" "$T/bin/prog" --env
DEBUGINFOD_URLS="  " expect none debuginfo "$id" "$T/bin/prog" --env
[ -z "$(ls -A "$T/cache")" ] || fail "cache used although debuginfod was not to be asked"
pass "debuginfod only with use_env and DEBUGINFOD_URLS"

# The debug info comes from the server (nothing local provides it); symfind
# checks its build-id and .debug_info.
DEBUGINFOD_URLS=$url expect "debuginfod $url/buildid/$id/debuginfo" debuginfo "$id" "$T/bin/prog" --env
[ -s "$T/cache/$id/debuginfo" ] || fail "no $T/cache/$id/debuginfo"
cmp -s "$T/cache/$id/debuginfo" "$T/serve/prog.debug" || fail "cached debug file differs from the served one"
pass "debug info from debuginfod, cached in DEBUGINFOD_CACHE_PATH"

# Again: served from the cache, without a download.
DEBUGINFOD_URLS=$url expect "debuginfod $T/cache/$id/debuginfo" debuginfo "$id" "$T/bin/prog" --env
DEBUGINFOD_URLS=$url expect "debuginfod $url/buildid/$id/executable" elf "$id" "$T/nonexistent/prog" --env
cmp -s "$T/cache/$id/executable" "$T/serve/prog" || fail "cached executable differs from the served one"
pass "executable from debuginfod"

# Local sources come first.
mkdir -p "$T/dbg/.build-id/${id:0:2}"
cp "$T/serve/prog.debug" "$T/dbg/.build-id/${id:0:2}/${id:2}.debug"
DEBUGINFOD_URLS=$url expect "debug-dir $T/dbg/.build-id/${id:0:2}/${id:2}.debug" debuginfo "$id" "$T/bin/prog" --env --debug-dir "$T/dbg"
DEBUGINFOD_URLS=$url expect "local $T/bin/prog" elf "$id" "$T/bin/prog" --env
pass "local debug dirs before debuginfod"

# A build-id the server does not have.
start=$SECONDS
DEBUGINFOD_URLS=$url expect none debuginfo "$unknown_id" - --env
[ $((SECONDS - start)) -lt 10 ] || fail "a miss took $((SECONDS - start)) s"
pass "unknown build-id: not found"

# A server that accepts connections and never answers: the lookup gives up
# after COREINSPECT_DEBUGINFOD_DEADLINE (libdebuginfod alone would wait 90 s).
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
server_pid=
if command -v python3 >/dev/null; then
        python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' > "$T/hang.port" &
        hang_pid=$!
        for _ in $(seq 50); do [ -s "$T/hang.port" ] && break; sleep 0.1; done
        hang_port=$(cat "$T/hang.port")
        [ -n "$hang_port" ] || fail "hanging server did not start"
        start=$SECONDS
        DEBUGINFOD_URLS=http://127.0.0.1:$hang_port COREINSPECT_DEBUGINFOD_DEADLINE=2 \
                DEBUGINFOD_CACHE_PATH=$T/cache2 expect none debuginfo "$unknown_id" - --env
        took=$((SECONDS - start))
        [ "$took" -le 8 ] || fail "lookup against a silent server took $took s, want about 2"
        pass "silent server: gave up after $took s"
else
        echo "skipped: silent-server deadline (no python3)"
fi
