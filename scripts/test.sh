#!/bin/bash
# The whole test suite: sets up (installs what is missing, builds with
# -Werror), runs every meson test (unit, logs, symbols, CLI, integration and
# the classifier's corpus; the last two need root and are skipped otherwise),
# then the tests that need no root again in an AddressSanitizer +
# UndefinedBehaviorSanitizer build, and ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
meson test -C build --print-errorlogs --num-processes 2 "$@"
rc=$?

echo "== sanitizer build (address, undefined): unit, logs, symbols, cli, fleet, fuzz"
if [ -f build-asan/build.ninja ]; then
        meson setup --reconfigure build-asan -Db_sanitize=address,undefined -Dwerror=true >/dev/null
else
        meson setup build-asan -Db_sanitize=address,undefined -Dwerror=true >/dev/null
fi
meson compile -C build-asan >/dev/null || rc=1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C build-asan --print-errorlogs --num-processes 2 \
        --suite unit --suite logs --suite symbols --suite cli --suite fleet --suite fuzz || rc=1

python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json <<'PY'
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
for path in sys.argv[1:]:
    try:
        lines = open(path).readlines()
    except OSError:
        counts["failed"] += 1
        continue
    for line in lines:
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            counts["passed"] += 1
        elif r == "SKIP":
            counts["skipped"] += 1
        else:
            counts["failed"] += 1
print("%d passed, %d failed, %d skipped" % (counts["passed"], counts["failed"], counts["skipped"]))
PY
echo "core_pattern after tests: $(cat /proc/sys/kernel/core_pattern)"
exit $rc
