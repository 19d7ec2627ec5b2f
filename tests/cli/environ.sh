#!/bin/bash
# The environment filter through `corecollect capture` (no root needed): a
# live process of ours with credentials in allowed variables stands in for
# the crashed one (its core is the fixture's); proc/environ in the bundle
# keeps what the built-in rules allow and redacts the rest, and a rules file
# named by environ_filter replaces the built-in rules.
# Usage: environ.sh CORECOLLECT
set -uo pipefail
CC_BIN=$1
COREINSPECT=$CC_BIN . "$(dirname "$0")/../bound.sh"
cd "$(dirname "$0")/../.."
T=$(mktemp -d /tmp/environ-test.XXXXXX)
victim=
trap '[ -n "$victim" ] && kill "$victim" 2>/dev/null; rm -rf "$T"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

env -i PATH=/usr/bin:/bin MINE=visible LANG=C.UTF-8 \
        NODE_OPTIONS='--db password=hunter2' \
        DEBUGINFOD_URLS='https://user:hunter2@debuginfod.example.com' \
        PYTHONSTARTUP='Authorization: Bearer abc' \
        TERM=AKIAIOSFODNN7EXAMPLE \
        JAVA_HOME='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' \
        AWS_SECRET_ACCESS_KEY=x \
        sleep 120 &
victim=$!
# wait until the child is sleep itself (its environ is the one above)
for _ in $(seq 100); do
        [ "$(cat /proc/$victim/comm 2>/dev/null)" = sleep ] && break
        sleep 0.05
done

capture() { # STORE [--set ...]
        local store=$1
        shift
        zstd -q -dc fixtures/segv.core.zst |
                "$CC_BIN" capture --store "$store" --set rate_burst=0 "$@" "$victim" "$victim" 11 1 0 0 1 - sleep ||
                fail "capture $*"
        tar --zstd -xOf "$store"/*.zst proc/environ
}

capture "$T/s1" > "$T/env1"
want1='PATH=/usr/bin:/bin
MINE=<redacted>
LANG=C.UTF-8
NODE_OPTIONS=<redacted>
DEBUGINFOD_URLS=<redacted>
PYTHONSTARTUP=<redacted>
TERM=<redacted>
JAVA_HOME=<redacted>
AWS_SECRET_ACCESS_KEY=<redacted>'
[ "$(cat "$T/env1")" = "$want1" ] && pass "built-in rules" || fail "built-in rules: $(diff <(echo "$want1") "$T/env1")"
grep -q hunter2 "$T/env1" && fail "a password reached the bundle"

printf 'allow PATH\nallow MINE\nallow TERM\ntoken-length 0\n' > "$T/filter.txt"
capture "$T/s2" --set environ_filter="$T/filter.txt" > "$T/env2"
grep -qx MINE=visible "$T/env2" && grep -qx TERM=AKIAIOSFODNN7EXAMPLE "$T/env2" &&
        grep -qx 'LANG=<redacted>' "$T/env2" && pass "rules file replaces the built-in rules" ||
        fail "rules file: $(cat "$T/env2")"

capture "$T/s3" --set environ_filter="$T/missing.txt" > "$T/env3"
[ "$(cat "$T/env3")" = "$want1" ] && pass "missing rules file: built-in rules" || fail "missing rules file: $(cat "$T/env3")"

echo "$failures failure(s)"
[ "$failures" = 0 ]
