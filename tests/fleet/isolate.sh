#!/bin/bash
# coreinspect index isolates each bundle's analysis (no root): in one store,
# next to good bundles,
#  - stalled.zst: a stripped program's bundle whose debug info is asked of a
#    debuginfod server that never answers (the analysis hangs: killed at
#    --timeout),
#  - memory.zst: a bundle of 1 GiB zstd frames (more than --max-memory),
#  - cut.zst: a bundle cut short (the analyzer rejects it),
#  - segv.core.zst: a raw core whose executable is absent, which crashed the
#    analyzer (SIGSEGV) before the elf branch; checked either way.
# Every good bundle is indexed, each bad one becomes a failed row with its
# reason, the exit code is 1, and the next run does not analyze the failed
# ones again (the server sees no second request) unless the analyzer
# version differs or --retry-failed says so.
. "$(dirname "$0")/common.sh"
HERE=$(dirname "$0")
for t in zstd strip python3; do
        command -v $t > /dev/null || { echo "SKIP: needs $t"; exit 77; }
done
server_pid=
at_exit '[ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null'
mkdir "$T/store" "$T/cache"
good="segv.zst lib.zst abort.zst classes/div_zero.zst"
for f in $good; do cp "$FIXTURES/$f" "$T/store/"; done
python3 "$HERE/rebundle.py" --strip-exe "$FIXTURES/threads.zst" "$T/store/stalled.zst" || fail "rebundle stalled"
python3 "$HERE/rebundle.py" --pad $((1 << 30)) --frame $((1 << 30)) "$FIXTURES/classes/kill_segv.zst" \
        "$T/store/memory.zst" || fail "rebundle memory"
head -c 20000 "$FIXTURES/inline.zst" > "$T/store/cut.zst"
cp "$FIXTURES/segv.core.zst" "$T/store/"
stall_id=$(zstd -dc "$FIXTURES/threads.zst" | tar -xOf - meta.json |
        python3 -c 'import json,sys; print(next(f["build_id"] for f in json.load(sys.stdin)["mapped_files"] if f.get("executable")))')

# A debuginfod server that answers 404 at once, except for stall_id: that
# request is read and never answered. Each request is one line in the log.
cat > "$T/server.py" <<'PY'
import http.server, socketserver, sys, time
stall, log = sys.argv[1], open(sys.argv[2], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write(self.path + "\n")
        if stall in self.path:
            time.sleep(86400)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 "$T/server.py" "$stall_id" "$T/requests" > "$T/port" & server_pid=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
port=$(cat "$T/port")
[ -n "$port" ] || fail "the debuginfod stand-in did not start"
# waits of the analysis itself long enough that only index's limit ends them
export DEBUGINFOD_URLS=http://127.0.0.1:$port DEBUGINFOD_CACHE_PATH=$T/cache DEBUGINFOD_TIMEOUT=3600
export COREINSPECT_DEBUGINFOD_DEADLINE=3600 COREINSPECT_SYSTEM_DEBUG_DIR=
unset COREINSPECT_DEBUG_DIRS


DB=$T/db.sqlite
index() { "$COREINSPECT" index --db "$DB" --timeout 20 --max-memory 512M "$@" > "$T/out" 2> "$T/err"; }
rows() { python3 -c "import sqlite3,sys; print('\n'.join('|'.join(map(str, r)) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))" "$DB" "$1"; }
reason() { rows "SELECT reason FROM failures WHERE bundle = '$T/store/$1'"; }

rc=0; index "$T/store" || rc=$?
[ $rc = 1 ] || fail "first run: exit $rc, want 1: $(cat "$T/err")"
# segv.core.zst crashes the analysis before the elf branch, not after
if [ "$(rows "SELECT COUNT(*) FROM failures WHERE bundle = '$T/store/segv.core.zst'")" = 1 ]; then
        segv_crashed=1 n_bad=4
else
        segv_crashed=0 n_bad=3
fi
n_good=$(( $(echo $good | wc -w) + 4 - n_bad ))
grep -q "^indexed $n_good new crashes, 0 already in the index, 0 duplicates .*, $n_bad failed: " "$T/out" ||
        fail "first run: $(cat "$T/out")"
[ "$(rows 'SELECT COUNT(*) FROM crashes')" = "$n_good" ] || fail "crashes: $(rows 'SELECT bundle FROM crashes')"
[ "$(rows 'SELECT COUNT(*) FROM failures')" = "$n_bad" ] || fail "failures: $(rows 'SELECT * FROM failures')"
for f in $good; do
        [ "$(rows "SELECT COUNT(*) FROM crashes WHERE bundle = '$T/store/${f#classes/}'")" = 1 ] || fail "$f not indexed"
done
reason stalled.zst | grep -q "killed at the time limit (20 s)" || fail "stalled: $(reason stalled.zst)"
grep -q "stalled.zst: not indexed: killed at the time limit" "$T/err" || fail "no line for stalled.zst: $(cat "$T/err")"
[ -n "$(reason memory.zst)" ] || fail "memory.zst: no reason"
reason cut.zst | grep -Eq "corrupt|truncated" || fail "cut: $(reason cut.zst)"
if [ $segv_crashed = 1 ]; then
        # (under AddressSanitizer, its SEGV report and exit status 1)
        reason segv.core.zst | grep -Eq "crashed: killed by SIGSEGV|AddressSanitizer: SEGV" || fail "segv.core.zst: $(reason segv.core.zst)"
fi
[ "$(rows 'SELECT COUNT(DISTINCT analyzer) FROM failures')" = 1 ] || fail "analyzer versions"
asked=$(grep -c "$stall_id" "$T/requests")
[ "$asked" -ge 1 ] || fail "the stalled build-id was never asked for: $(cat "$T/requests")"
before=$(rows 'SELECT bundle, reason, failed_at FROM failures ORDER BY bundle')

# Again: nothing analyzed, the failed ones are not tried again.
rc=0; index "$T/store" || rc=$?
[ $rc = 1 ] || fail "second run: exit $rc, want 1"
grep -q "^indexed 0 new crashes, $n_good already in the index, 0 duplicates .*, $n_bad failed ($n_bad failed before with this analyzer, not tried again" "$T/out" ||
        fail "second run: $(cat "$T/out")"
! grep -q "not indexed" "$T/err" || fail "second run analyzed a failed bundle again: $(cat "$T/err")"
[ "$(grep -c "$stall_id" "$T/requests")" = "$asked" ] || fail "second run asked debuginfod again"
[ "$(rows 'SELECT bundle, reason, failed_at FROM failures ORDER BY bundle')" = "$before" ] || fail "failures changed"

# Another analyzer version failed on cut.zst: this one tries it again.
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE failures SET analyzer = 'old' WHERE bundle = ?\", (sys.argv[2],)); c.commit()" "$DB" "$T/store/cut.zst"
rc=0; index "$T/store" || rc=$?
[ $rc = 1 ] || fail "third run: exit $rc"
[ "$(grep -c "not indexed" "$T/err")" = 1 ] && grep -Eq "cut.zst: not indexed: .*(corrupt|truncated)" "$T/err" ||
        fail "third run should try cut.zst only: $(cat "$T/err")"
[ "$(rows "SELECT COUNT(*) FROM failures WHERE analyzer = 'old'")" = 0 ] || fail "cut.zst's version not updated"
# --retry-failed: the same version tries again
rc=0; index --retry-failed "$T/store/cut.zst" || rc=$?
[ $rc = 1 ] && grep -q "cut.zst: not indexed" "$T/err" || fail "--retry-failed: exit $rc: $(cat "$T/err")"
# a failed bundle that is now good (here: replaced) is indexed and leaves the failures table
cp "$FIXTURES/inline.zst" "$T/store/cut.zst"
rc=0; index --retry-failed "$T/store/cut.zst" || rc=$?
[ $rc = 0 ] || fail "the repaired bundle: exit $rc: $(cat "$T/err")"
[ "$(rows "SELECT COUNT(*) FROM failures WHERE bundle = '$T/store/cut.zst'")" = 0 ] || fail "cut.zst still failed"
rows "SELECT bundle, reason FROM failures"
echo "ok: $n_good good bundles indexed around $n_bad failing ones (hang, memory, corrupt, crash), failures not retried"
