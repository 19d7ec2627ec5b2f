# Sourced by the unit tests here: verify_units DIR UNIT... runs
# `systemd-analyze verify` on the units in DIR and fails the test (with the
# caller's fail) on a non-zero exit or any warning it prints (unknown keys,
# ignored settings, invalid values).
verify_units() {
        local dir=$1
        shift
        local out rc=0
        out=$(cd "$dir" && systemd-analyze verify "$@" 2>&1) || rc=$?
        [ $rc = 0 ] || fail "systemd-analyze verify exit $rc: $out"
        ! grep -qiE 'unknown|ignoring|invalid|failed' <<< "$out" || fail "systemd-analyze verify: $out"
}
