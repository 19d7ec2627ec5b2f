#!/bin/bash
# The core inside the bundle is byte-identical to what the kernel wrote: a
# wrapper handler tees the kernel's stream to a file on its way into
# corecollect, and the extracted member must equal it.
. "$(dirname "$0")/lib.sh"

install_handler
wrap=$T/w.sh
cat > "$wrap" <<SH
#!/bin/sh
/usr/bin/tee $T/raw.core | $CORECOLLECT capture -c $CONF "\$@"
SH
chmod +x "$wrap"
pattern="|$wrap %P %i %s %t %u %g %d %F %e"
[ ${#pattern} -le 127 ] || skip "wrapper path too long for core_pattern"
printf '%s\n' "$pattern" > /proc/sys/kernel/core_pattern

crash "$PROGRAMS/crash_thread" 4
b=$(wait_bundle)
extract "$b" "$T/x"
[ -s "$T/raw.core" ] || fail "tee saw no core"
cmp "$T/raw.core" "$T/x/core" || fail "extracted core differs from the kernel's stream"
zstd -dc "$b" | tar -xOf - core | cmp - "$T/raw.core" || fail "zstd -d | tar differs"
pass "core byte-identical ($(stat -c %s "$T/raw.core") bytes) through zstd -d and tar --zstd"
