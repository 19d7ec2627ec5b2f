#!/bin/bash
# A stripped binary whose debug info exists only elsewhere: in a --debug-dir
# .build-id tree, in COREINSPECT_DEBUG_DIRS, and served by a real debuginfod
# server started here on a local port.
. "$(dirname "$0")/lib.sh"
command -v debuginfod >/dev/null || skip "debuginfod not installed"
install_handler

mkdir -p "$T/bin"
cp "$PROGRAMS/crash_segv" "$T/bin/victim"
objcopy --only-keep-debug "$T/bin/victim" "$T/victim.debug"
strip --strip-all "$T/bin/victim"
id=$(eu-readelf -n "$T/bin/victim" | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
[ -n "$id" ] || fail "victim has no build-id"
mkdir -p "$T/debug/.build-id/${id:0:2}"
cp "$T/victim.debug" "$T/debug/.build-id/${id:0:2}/${id:2}.debug"

crash "$T/bin/victim"
b=$(wait_bundle)

# no debug info anywhere: no static function names, and a hint to get them
env -u DEBUGINFOD_URLS -u COREINSPECT_DEBUG_DIRS "$COREINSPECT" "$b" > "$T/none.txt" || true
! grep -q store_through "$T/none.txt" || fail "found store_through without debug info?"
grep -q "Modules without debug info" "$T/none.txt" || fail "missing-debug list absent"
grep -q "debuginfod-find debuginfo $id" "$T/none.txt" || fail "no hint for $id: $(cat "$T/none.txt")"
pass "stripped: no symbols, hint names debuginfod-find debuginfo $id"

want="store_through crash_segv.c:8"
inspect "$b" "$T/dir" --debug-dir "$T/debug"
frames_of "$T/dir.json" | head -n 1 | grep -q "^$want$" || fail "--debug-dir: $(frames_of "$T/dir.json" | head -n 2)"
COREINSPECT_DEBUG_DIRS="/nonexistent:$T/debug" inspect "$b" "$T/env"
frames_of "$T/env.json" | head -n 1 | grep -q "^$want$" || fail "COREINSPECT_DEBUG_DIRS: $(frames_of "$T/env.json" | head -n 2)"
python3 -c "
import json; d=json.load(open('$T/dir.json'))
m=[m for m in d['modules'] if m['build_id']=='$id'][0]
assert m['debuginfo_source']=='debug-dir', m
" || fail "module debug source not debug-dir"
pass "--debug-dir and COREINSPECT_DEBUG_DIRS give $want"

# a real debuginfod on a free local port, serving only the .debug file
mkdir -p "$T/dsrc" "$T/cache"
cp "$T/victim.debug" "$T/dsrc/"
port=""
for p in $(shuf -i 20000-40000 -n 20); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || fail "no free port"
debuginfod -F "$T/dsrc" -p "$port" -d "$T/dbi.sqlite" > "$T/debuginfod.log" 2>&1 &
server=$!
on_exit "kill $server 2>/dev/null; wait $server 2>/dev/null"
export DEBUGINFOD_URLS="http://127.0.0.1:$port" DEBUGINFOD_CACHE_PATH="$T/cache" DEBUGINFOD_TIMEOUT=10
ok=""
for i in $(seq 1 100); do
        # a fresh cache each time: libdebuginfod caches failures for minutes
        if DEBUGINFOD_CACHE_PATH="$T/poll$i" debuginfod-find debuginfo "$id" >/dev/null 2>&1; then ok=1; break; fi
        sleep 0.2
done
[ -n "$ok" ] || fail "debuginfod did not serve $id: $(tail -5 "$T/debuginfod.log")"
rm -rf "$T/cache"/* # coreinspect must fetch it itself
COREINSPECT_DEBUG_DIRS= inspect "$b" "$T/dfd"
frames_of "$T/dfd.json" | head -n 1 | grep -q "^$want$" || fail "debuginfod: $(frames_of "$T/dfd.json" | head -n 2)"
python3 -c "
import json; d=json.load(open('$T/dfd.json'))
m=[m for m in d['modules'] if m['build_id']=='$id'][0]
assert m['debuginfo_source']=='debuginfod', m
" || fail "module debug source not debuginfod"
pass "debuginfod on port $port served the debug info"
