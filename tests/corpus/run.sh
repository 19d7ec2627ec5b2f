#!/bin/bash
# The crash corpus: builds every case of cases.tsv, crashes it through the
# REAL kernel core_pattern handler (corecollect), runs `coreinspect --json`
# on its bundle and compares the classification, its detail, the crash frame
# and the signal with what cases.tsv expects. Prints one line per case, a
# confusion matrix (rows: expected class, columns: class found) and
# "N/M correct"; exits 0 only when every case is correct.
#
# usage: run.sh [--keep DIR] [--only REGEX] [--list]
#   --keep DIR    copy each bundle to DIR/NAME.zst (written with zstd level 19,
#                 for refreshing fixtures/classes/)
#   --only REGEX  run only the cases whose name matches REGEX
#   --list        print the case names and exit
# env: CORECOLLECT, COREINSPECT, PROGRAMS (set by meson; default: ./build),
#      CC (gcc), CXX (g++) are not used: cases.tsv holds the exact commands.
# Needs root (else exit 77): it takes the core_pattern lock and restores
# core_pattern on exit, however it exits (see ../integration/lib.sh).
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KEEP=
ONLY=.
while [ $# -gt 0 ]; do
        case $1 in
        --keep) KEEP=$(mkdir -p "$2" && cd "$2" && pwd) || exit 64; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --list) grep -v '^#' "$HERE/cases.tsv" | cut -f1; exit 0 ;;
        -h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "usage: run.sh [--keep DIR] [--only REGEX] [--list]" >&2; exit 64 ;;
        esac
done
: "${CORECOLLECT:=$ROOT/build/corecollect/corecollect}"
: "${COREINSPECT:=$ROOT/build/analyze/coreinspect}"
: "${PROGRAMS:=$ROOT/build/tests/programs}"
export CORECOLLECT COREINSPECT PROGRAMS

# lock on core_pattern, EXIT trap restoring it, $T (temp dir), $STORE, helpers
. "$HERE/../integration/lib.sh"
set +e

# Private copies of the tools: a concurrent `ninja` relinking build/ must not
# make the kernel's exec of the handler (or coreinspect) fail mid-run.
mkdir -p "$T/tools"
cp "$CORECOLLECT" "$COREINSPECT" "$T/tools/" || fail "cannot copy $CORECOLLECT $COREINSPECT"
CORECOLLECT=$T/tools/$(basename "$CORECOLLECT")
COREINSPECT=$T/tools/$(basename "$COREINSPECT")

SRC=$HERE/src
BIN=$T/bin
OUT=$T/out
mkdir -p "$BIN" "$OUT" "$T/bundles" "$T/work"
RESULTS=$T/results.tsv
: > "$RESULTS"

mapfile -t CASES < <(grep -v '^#' "$HERE/cases.tsv" | grep -v '^[[:space:]]*$' | awk -F'\t' -v re="$ONLY" '$1 ~ re')
[ ${#CASES[@]} -gt 0 ] || fail "no case matches '$ONLY'"

# --- build (in parallel) ---
echo "building ${#CASES[@]} cases in $BIN"
jobs_running=0
for line in "${CASES[@]}"; do
        IFS=$'\t' read -r name build _ <<< "$line"
        [ "$build" = prebuilt ] && continue
        ( SRC=$SRC BIN=$BIN eval "$build" ) > "$OUT/$name.build" 2>&1 &
        jobs_running=$((jobs_running + 1))
        if [ $jobs_running -ge "$(nproc)" ]; then
                wait -n
                jobs_running=$((jobs_running - 1))
        fi
done
wait

# --- crash each case through the real handler ---
level=()
[ -n "$KEEP" ] && level=(--set level=19)
install_handler --set rate_burst=1000 --set rate_uid_burst=0 "${level[@]}"

# Run lines are bash; they may use signal_when_ready SIG CMD...: start CMD,
# wait until it prints "ready", then send it SIG with kill(1) (sender: this shell).
PRELUDE='
signal_when_ready() {
        local sig=$1; shift
        "$@" > ready.out &
        local pid=$!
        for _ in $(seq 1 200); do grep -q ready ready.out 2>/dev/null && break; sleep 0.05; done
        sleep 0.2
        kill -s "$sig" "$pid"
        wait "$pid"
}'

for line in "${CASES[@]}"; do
        IFS=$'\t' read -r name build run class detail frame signal <<< "$line"
        rm -f "$STORE"/*.zst
        if [ "$build" != prebuilt ] && ! [ -x "$BIN/$name" ]; then
                echo "$name: build failed: $(tail -n 3 "$OUT/$name.build" | tr '\n' ' ')" >&2
                printf '%s\t%s\tnone\tno\tno\tno\t-\t-\tbuild failed\n' "$name" "$class" >> "$RESULTS"
                continue
        fi
        mkdir -p "$T/work/$name"
        # (the outer subshell only keeps bash's "Segmentation fault" notices quiet)
        ( BIN=$BIN timeout -k 5 120 bash -c "$PRELUDE
                cd '$T/work/$name' || exit 2
                ulimit -c unlimited; ulimit -s 8192; ulimit -v 524288
                $run" < /dev/null > "$OUT/$name.out" 2> "$OUT/$name.err"
          echo "$?" > "$OUT/$name.rc" ) 2> /dev/null
        b=
        for _ in $(seq 1 200); do
                b=$(ls -t "$STORE"/*.zst 2>/dev/null | head -n 1)
                [ -n "$b" ] && break
                sleep 0.1
        done
        if [ -z "$b" ]; then
                echo "$name: no bundle (exit $(cat "$OUT/$name.rc"))" >&2
                printf '%s\t%s\tnone\tno\tno\tno\t-\t-\tno bundle\n' "$name" "$class" >> "$RESULTS"
                continue
        fi
        mv "$b" "$T/bundles/$name.zst"
        [ -n "$KEEP" ] && cp "$T/bundles/$name.zst" "$KEEP/$name.zst"
        "$COREINSPECT" --json "$T/bundles/$name.zst" > "$OUT/$name.json" 2> "$OUT/$name.inspect.err"
        python3 "$HERE/corpus.py" check "$name" "$OUT/$name.json" "$class" "$detail" "$frame" "$signal" \
                "$T/bundles/$name.zst" >> "$RESULTS"
        # keep only the bundles of failing cases in the kept test dir
        tail -n 1 "$RESULTS" | awk -F'\t' '$2 == $3 && $4 == "yes" && $5 == "yes" && $6 == "yes" { ok = 1 } END { exit !ok }' &&
                rm -f "$T/bundles/$name.zst"
done

echo
python3 "$HERE/corpus.py" matrix "$RESULTS"
rc=$?
echo "(outputs, reports and bundles in $T when a case fails)"
exit $rc
